using System.Runtime.InteropServices;

namespace Elbo.Cli;

/// <summary>
/// Turns the first Ctrl-C (SIGINT) or SIGTERM during training into a cancellation the trainer sees between two steps,
/// instead of the process dying mid-write: the run then stops with its last finished epoch's checkpoint intact, the
/// progress bar is closed (and the terminal's cursor shown again), and one line says how to continue. A second signal
/// ends the process at once, as usual.
/// </summary>
internal sealed class TrainingInterrupt : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private volatile int _signal;

    public TrainingInterrupt()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled at the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The signal that stopped the run: "SIGINT" or "SIGTERM", or null.</summary>
    public string? Signal => _signal switch { 2 => "SIGINT", 15 => "SIGTERM", _ => null };

    /// <summary>The shell's exit code for the signal (128 + its number).</summary>
    public int ExitCode => 128 + _signal;

    private void OnSignal(PosixSignalContext context)
    {
        if (_signal != 0) return;                  // the second one: the default action (the process ends)
        _signal = context.Signal == PosixSignal.SIGINT ? 2 : 15;
        context.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}

/// <summary>Training stopped by a signal; <see cref="ExitCode"/> is the shell's code for it (130 for SIGINT, 143 for SIGTERM).</summary>
internal sealed class TrainingInterruptedException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
