namespace Elbo.Data;

/// <summary>Where MNIST is downloaded from: base URLs tried in order (each followed by the file name), and the MD5
/// each downloaded file must have (null: no checksum, only the IDX check).</summary>
/// <param name="BaseUrls">Base URLs, tried in order.</param>
/// <param name="Md5">Expected lowercase hex MD5 per file name (e.g. "train-images-idx3-ubyte.gz"), or null.</param>
public sealed record MnistMirrors(IReadOnlyList<string> BaseUrls, IReadOnlyDictionary<string, string>? Md5 = null)
{
    /// <summary>The public mirrors torchvision uses (the original yann.lecun.com site no longer serves the files),
    /// with torchvision's published MD5s of the four gzipped files.</summary>
    public static MnistMirrors Canonical { get; } = new(
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
        new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte.gz"] = "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            ["train-labels-idx1-ubyte.gz"] = "d53e105ee54ea40749a09fcbcd1e9432",
            ["t10k-images-idx3-ubyte.gz"] = "9fb629c4189551a2d022fa330f9573f3",
            ["t10k-labels-idx1-ubyte.gz"] = "ec29112dd5afa0611ce80d1b7f02629c",
        });
}
