namespace Elbo.Objectives;

/// <summary>Noise drawn in sequence from one <see cref="Generator"/> (the whole batch in one call), as every
/// single-process use outside the trainer has it.</summary>
/// <param name="generator">The generator the draws come from; it advances with every batch.</param>
public sealed class GeneratorNoise(Generator generator) : NoiseSource
{
    /// <summary>The generator the draws come from.</summary>
    public Generator Generator { get; } = generator ?? throw new ArgumentNullException(nameof(generator));

    /// <inheritdoc/>
    public override void Fill(Span<float> destination, int rows) => Generator.FillNormal(destination);
}
