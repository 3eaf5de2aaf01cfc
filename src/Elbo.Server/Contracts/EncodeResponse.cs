namespace Elbo.Server.Contracts;

/// <summary>q(z|x) for each example: the posterior family and its parameters by name (<c>mu</c> and <c>logvar</c>
/// for a VAE's diagonal Gaussian, <c>mu</c> alone for a plain autoencoder's point mass), one array of L values per
/// example, and the labels the examples were encoded with (-1: none).</summary>
/// <param name="Family">The posterior family.</param>
/// <param name="Parameters">Each parameter, one array per example.</param>
/// <param name="Labels">The label of each example, -1 for none.</param>
public sealed record EncodeResponse(string Family, Dictionary<string, float[][]> Parameters, int[] Labels);
