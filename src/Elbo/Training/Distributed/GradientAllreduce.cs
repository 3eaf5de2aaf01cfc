using System.Diagnostics;

namespace Elbo.Training.Distributed;

/// <summary>
/// The one collective operation of a data-parallel training step: every parameter's gradient, a flag per parameter
/// saying whether it has one, and a few step statistics, laid end to end in one flat float buffer and summed over the
/// processes with a single Allreduce. Each process computed the mean loss over its shard of n_r rows, so its
/// gradients are scaled by n_r / B before the sum: the result is the gradient of the mean over the global batch of B
/// rows — the one-process gradient, up to the order of the float additions. A parameter no process reached keeps no
/// gradient (the optimizer skips it, as it would in one process). The buffer is made once: a step allocates nothing.
/// </summary>
public sealed class GradientAllreduce
{
    private readonly Tensor[] _parameters;
    private readonly Tensor?[] _spare;
    private readonly float[] _buffer;
    private readonly int _values, _statistics;

    /// <summary>A buffer for <paramref name="parameters"/>' gradients and <paramref name="statistics"/> more values.</summary>
    public GradientAllreduce(IReadOnlyList<Tensor> parameters, int statistics)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(statistics);
        _parameters = [.. parameters];
        _spare = new Tensor?[_parameters.Length];
        long values = 0;
        foreach (var p in _parameters) values += p.Numel;
        if (values + _parameters.Length + statistics > Array.MaxLength)
            throw new ArgumentException($"gradient allreduce: {values} gradient values do not fit one buffer");
        _values = (int)values;
        _statistics = statistics;
        _buffer = new float[_values + _parameters.Length + statistics];
    }

    /// <summary>The bytes one step sends into the Allreduce (gradients, flags and statistics, float32).</summary>
    public long Bytes => (long)_buffer.Length * sizeof(float);

    /// <summary>The step statistics: write this process's before <see cref="Reduce"/>, read the sums after.</summary>
    public Span<float> Statistics => _buffer.AsSpan(_values + _parameters.Length, _statistics);

    /// <summary>Seconds the last <see cref="Reduce"/> spent in the collective operation (waiting for the slowest
    /// process included).</summary>
    public double LastSeconds { get; private set; }

    /// <summary>Packs each gradient times <paramref name="scale"/> (n_r / B), sums the buffer over
    /// <paramref name="group"/>, and writes the summed gradients back (into a kept tensor where this process had
    /// none).</summary>
    public void Reduce(IProcessGroup group, float scale)
    {
        ArgumentNullException.ThrowIfNull(group);
        var buffer = _buffer.AsSpan();
        int offset = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            int n = p.Numel;
            var target = buffer.Slice(offset, n);
            if (p.Grad is { } g)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(g.Data, scale, target);
                buffer[_values + i] = 1f;
            }
            else
            {
                target.Clear();
                buffer[_values + i] = 0f;
            }
            offset += n;
        }
        long start = Stopwatch.GetTimestamp();
        group.Sum(buffer);
        LastSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        offset = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            int n = p.Numel;
            if (buffer[_values + i] > 0f)
            {
                if (p.Grad is null) p.Grad = _spare[i] ??= Tensor.Zeros(p.ShapeArray());
                buffer.Slice(offset, n).CopyTo(p.Grad!.Data);
            }
            else p.ZeroGrad();
            offset += n;
        }
    }
}
