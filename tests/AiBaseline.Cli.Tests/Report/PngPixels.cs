using System.Buffers.Binary;
using System.IO.Compression;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>
/// The pixels of a PNG as a browser's screenshot writes it (8-bit RGB or RGBA, not interlaced), enough to ask
/// whether a color is visible on the page and where.
/// </summary>
public sealed class PngPixels
{
    private readonly byte[] rgb;

    private PngPixels(int width, int height, byte[] rgb) => (Width, Height, this.rgb) = (width, height, rgb);

    public int Width { get; }

    public int Height { get; }

    /// <summary>How many pixels of the rows [<paramref name="top"/>, <paramref name="bottom"/>) are within <paramref name="tolerance"/> of <paramref name="hex"/> in each channel.</summary>
    public int Count(string hex, int top = 0, int bottom = int.MaxValue, int tolerance = 12)
    {
        var (r, g, b) = (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
        var count = 0;
        for (var y = Math.Max(0, top); y < Math.Min(Height, bottom); y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var i = ((y * Width) + x) * 3;
                if (Math.Abs(rgb[i] - r) <= tolerance && Math.Abs(rgb[i + 1] - g) <= tolerance && Math.Abs(rgb[i + 2] - b) <= tolerance)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>The first row, from the top, holding at least <paramref name="minimum"/> pixels of <paramref name="hex"/>; -1 if none.</summary>
    public int FirstRowWith(string hex, int minimum = 10)
    {
        for (var y = 0; y < Height; y++)
        {
            if (Count(hex, y, y + 1) >= minimum)
            {
                return y;
            }
        }

        return -1;
    }

    public static PngPixels Decode(byte[] png)
    {
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
                channels = data[9] switch
                {
                    2 => 3,
                    6 => 4,
                    var other => throw new NotSupportedException($"PNG color type {other}"),
                };
                if (data[8] != 8 || data[12] != 0)
                {
                    throw new NotSupportedException("only 8-bit, non-interlaced PNGs");
                }
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }

            at += length + 12;
        }

        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * channels;
        var current = new byte[stride];
        var previous = new byte[stride];
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            Array.Copy(raw, (y * (stride + 1)) + 1, current, 0, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? current[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                current[i] = (byte)(current[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                });
            }

            for (var x = 0; x < width; x++)
            {
                Array.Copy(current, x * channels, rgb, ((y * width) + x) * 3, 3);
            }

            (previous, current) = (current, previous);
        }

        return new PngPixels(width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
