namespace Elbo.Engine.Autograd;

/// <summary>Whether operations record the graph for backward. <c>using (GradMode.NoGrad()) { … }</c> turns it off on
/// this thread for inference (no graph, no saved tensors).</summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    /// <summary>True when operations record the graph on this thread.</summary>
    public static bool IsEnabled => _disabledDepth == 0;

    /// <summary>Turns graph recording off until the returned scope is disposed.</summary>
    public static NoGradScope NoGrad()
    {
        _disabledDepth++;
        return new NoGradScope(true);
    }

    internal static void Exit() => _disabledDepth--;
}

/// <summary>A no-grad region; dispose to leave it.</summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly bool _active;

    internal NoGradScope(bool active) => _active = active;

    /// <summary>Leaves the region.</summary>
    public void Dispose()
    {
        if (_active) GradMode.Exit();
    }
}
