using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>Pushes the cosign-made sample (image, .sig and .att with their exact bytes) into a repository of a real registry.</summary>
internal static class SampleUpload
{
    public const string ImageDigest = "sha256:88f93d3e0940435fabf35bac8aea4a0e4e288108a2d1f66d855530badea24529";

    /// <summary>Pushes everything; <paramref name="read"/> returns a vector file's bytes by its name under Vectors/.</summary>
    public static async Task PushAsync(ImagePusher pusher, string repository, Func<string, byte[]> read)
    {
        string[] blobs =
        [
            "image-blobs/4745319e430362ec36bdb9566c863502f43c164d3fa090125910e259d779da01",
            "image-blobs/f7a4441247dde68662cf9ae9213729c244e02f385190e79e876d33ee64c7aeb9",
            "sig-config.json", "sig-payload.json", "att-config.json", "att-envelope-0.json", "att-envelope-1.json",
        ];
        foreach (var blob in blobs)
        {
            await pusher.PushBlobAsync(repository, read(blob));
        }

        await pusher.PushManifestAsync(repository, "v1", read("image-blobs/" + ImageDigest["sha256:".Length..]), OciMediaTypes.OciManifest);
        await pusher.PushManifestAsync(repository, Digests.CosignTag(ImageDigest, "sig"), read("sig-manifest.json"), OciMediaTypes.OciManifest);
        await pusher.PushManifestAsync(repository, Digests.CosignTag(ImageDigest, "att"), read("att-manifest.json"), OciMediaTypes.OciManifest);
    }
}
