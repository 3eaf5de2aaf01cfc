using Elbo.Engine.Autograd;

namespace Elbo.Engine.Tensors;

public sealed partial class Tensor
{
    /// <summary>Links this result to the operation that produced it when grad mode is on and an input requires grad.
    /// Returns whether it was recorded (then the forward may save what backward needs).</summary>
    internal bool Record(Function fn, Tensor a, Tensor? b = null, Tensor? c = null)
    {
        if (!GradMode.IsEnabled) return false;
        if (!(a.RequiresGrad || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false))) return false;
        GradFn = fn;
        In0 = a;
        In1 = b;
        In2 = c;
        RequiresGrad = true;
        return true;
    }

    /// <summary>Records an operation with a list of inputs (concat); the list is copied into a reused array.</summary>
    internal bool RecordList(Function fn, ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        bool any = false;
        foreach (var t in inputs) any |= t.RequiresGrad;
        if (!any) return false;
        if (InList == null || InList.Length < inputs.Length) InList = new Tensor[Math.Max(inputs.Length, 4)];
        inputs.CopyTo(InList);
        InListCount = inputs.Length;
        GradFn = fn;
        RequiresGrad = true;
        return true;
    }
}
