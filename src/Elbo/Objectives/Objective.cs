using Elbo.Models;

namespace Elbo.Objectives;

/// <summary>
/// What training minimizes on a batch, built on the model contract alone: it encodes, asks the posterior for samples,
/// log-densities and KL, decodes, and asks the likelihood for −log p(x|z). Every objective also reports the standard
/// −ELBO halves (<see cref="VaeLoss.Reconstruction"/>, <see cref="VaeLoss.Kl"/>) so metrics compare across objectives.
/// Each objective owns its noise buffers, so a training step allocates nothing.
/// </summary>
public abstract class Objective
{
    /// <summary>The registry name ("elbo", "iwae").</summary>
    public abstract string Name { get; }

    /// <summary>The loss on the batch x (B, D) with its labels (one per row, used by a conditional model);
    /// <paramref name="klWeight"/> is β times the warm-up ramp, <paramref name="noise"/> gives the rows of ε.</summary>
    public abstract VaeLoss Loss(LatentVariableModel model, Tensor x, float klWeight, NoiseSource noise, ReadOnlySpan<int> labels = default);

    /// <summary>The loss with ε drawn in sequence from <paramref name="generator"/> (<see cref="GeneratorNoise"/>).</summary>
    public VaeLoss Loss(LatentVariableModel model, Tensor x, float klWeight, Generator generator, ReadOnlySpan<int> labels = default) =>
        Loss(model, x, klWeight, new GeneratorNoise(generator), labels);

    /// <summary>Throws a <see cref="SettingException"/> when the objective cannot train <paramref name="model"/>
    /// (e.g. it needs a posterior density the model does not have).</summary>
    public virtual void Check(LatentVariableModel model) { }
}
