namespace Elbo.Engine.Kernels.Common;

/// <summary>How a kernel writes its destination: assign (d = f) or accumulate (d += f). A type parameter, so the
/// choice is folded away by the JIT instead of branching per vector.</summary>
internal interface IStoreMode
{
    static abstract bool Accumulate { get; }
}

/// <summary>d = f(...).</summary>
internal readonly struct AssignMode : IStoreMode
{
    public static bool Accumulate => false;
}

/// <summary>d += f(...).</summary>
internal readonly struct AccumulateMode : IStoreMode
{
    public static bool Accumulate => true;
}
