namespace Elbo.Server.Contracts;

/// <summary>The latent points of the path and what the model decodes there (a conditional model decodes the first
/// half at the start's class and the rest at the end's).</summary>
/// <param name="Z">The path, one latent point per step.</param>
/// <param name="Decoded">The decoded means, one per step.</param>
public sealed record InterpolateResponse(float[][] Z, Examples Decoded);
