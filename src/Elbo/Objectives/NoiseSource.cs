namespace Elbo.Objectives;

/// <summary>
/// Where an objective's reparameterization noise ε comes from: a batch's ε has one row per example (L values, or K·L
/// for K importance samples), filled by <see cref="Fill"/>. <see cref="GeneratorNoise"/> draws the rows in sequence
/// from one generator; <see cref="ExampleNoise"/> makes each row a function of (key, step, example), so a batch split
/// across processes draws exactly the noise one process would.
/// </summary>
public abstract class NoiseSource
{
    /// <summary>Fills <paramref name="destination"/>, <paramref name="rows"/> equal rows (row i for the batch's example
    /// i), with standard normal draws.</summary>
    public abstract void Fill(Span<float> destination, int rows);
}
