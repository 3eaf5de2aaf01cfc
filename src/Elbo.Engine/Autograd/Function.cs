using Elbo.Engine.Tensors;

namespace Elbo.Engine.Autograd;

/// <summary>
/// The backward rule of one operation. Functions are stateless singletons: what a rule needs (inputs, saved
/// tensors, integer and float arguments) is stored on the output tensor by the forward (see <see cref="Tensor.In0"/>,
/// <see cref="Tensor.Saved0"/>, <see cref="Tensor.IArg0"/>), so recording an operation allocates nothing.
/// </summary>
internal abstract class Function
{
    /// <summary>The op's name, as in messages (e.g. "matmul").</summary>
    public abstract string Name { get; }

    /// <summary>Adds d loss / d input to the gradient of each input that requires it, given
    /// <paramref name="output"/>'s gradient (<c>output.GradData</c>).</summary>
    public abstract void Backward(Tensor output);
}
