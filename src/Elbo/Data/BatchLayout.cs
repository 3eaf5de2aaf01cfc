namespace Elbo.Data;

/// <summary>The shape of the batch tensors a <see cref="BatchIterator"/> fills.</summary>
public enum BatchLayout
{
    /// <summary>(B, C, H, W), for convolutional models.</summary>
    Images,

    /// <summary>(B, C·H·W), for fully connected models.</summary>
    Flat,
}
