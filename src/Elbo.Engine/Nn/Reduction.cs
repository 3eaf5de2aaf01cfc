namespace Elbo.Engine.Nn;

/// <summary>How a loss reduces its elementwise values (PyTorch's reduction argument).</summary>
public enum Reduction
{
    /// <summary>No reduction: the loss has the input's shape.</summary>
    None,
    /// <summary>The mean over all elements.</summary>
    Mean,
    /// <summary>The sum over all elements.</summary>
    Sum,
}
