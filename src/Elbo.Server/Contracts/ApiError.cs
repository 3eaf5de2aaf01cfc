namespace Elbo.Server.Contracts;

/// <summary>The body of every error response: what is wrong, in one line, and the request field at fault (a JSON
/// path such as <c>z[3][1]</c>; null when no one field is).</summary>
/// <param name="Error">The message.</param>
/// <param name="Field">The field, or null.</param>
public sealed record ApiError(string Error, string? Field);
