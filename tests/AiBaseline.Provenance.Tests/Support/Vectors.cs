namespace AiBaseline.Provenance.Tests.Support;

/// <summary>The cosign-made sample files in Vectors/ (see Vectors/README.md).</summary>
internal static class Vectors
{
    public const string ImageDigest = "sha256:88f93d3e0940435fabf35bac8aea4a0e4e288108a2d1f66d855530badea24529";
    public const string Registry = "127.0.0.1:5000";
    public const string Image = "127.0.0.1:5000/demo/hello@" + ImageDigest;

    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Vectors");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Dir, name));

    public static string Text(string name) => File.ReadAllText(Path.Combine(Dir, name));

    public static string PublicKey => Text("cosign.pub");

    public static byte[] ImageBlob(string digest) => Bytes(Path.Combine("image-blobs", digest["sha256:".Length..]));
}
