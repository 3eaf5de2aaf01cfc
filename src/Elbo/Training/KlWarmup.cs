namespace Elbo.Training;

/// <summary>The KL weight schedule: β, ramped linearly from 0 over the first <see cref="Epochs"/> epochs (KL warm-up),
/// step by step: w = β·min(1, t / (Epochs·stepsPerEpoch)) where t counts the steps done before this one.</summary>
public sealed class KlWarmup
{
    /// <summary>β and the warm-up length in epochs (0: no warm-up).</summary>
    public KlWarmup(float beta, int epochs)
    {
        if (!(beta >= 0f) || float.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be a non-negative number");
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        Beta = beta;
        Epochs = epochs;
    }

    /// <summary>The final KL weight β.</summary>
    public float Beta { get; }

    /// <summary>Warm-up length in epochs.</summary>
    public int Epochs { get; }

    /// <summary>The weight for step <paramref name="step"/> (0-based) of epoch <paramref name="epoch"/> (1-based).</summary>
    public float Weight(int epoch, int step, int stepsPerEpoch)
    {
        if (Epochs == 0) return Beta;
        double done = (double)(epoch - 1) * stepsPerEpoch + step;
        return (float)(Beta * Math.Min(1.0, done / ((double)Epochs * stepsPerEpoch)));
    }
}
