namespace Elbo.Server.Contracts;

/// <summary><c>POST /api/encode</c>: the examples to encode.</summary>
public sealed record EncodeRequest : ExampleInput;
