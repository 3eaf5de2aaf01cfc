namespace Elbo.Server;

/// <summary>A request the server refuses: the HTTP status (400 bad request, 413 too large, 503 busy), the request
/// field at fault (a JSON path such as <c>z[3][1]</c> or <c>images[0]</c>; null when no one field is), and a
/// one-line message. Sent as <see cref="Contracts.ApiError"/>.</summary>
public sealed class ApiException(int status, string? field, string message) : Exception(message)
{
    /// <summary>The HTTP status code.</summary>
    public int Status { get; } = status;

    /// <summary>The request field at fault, or null.</summary>
    public string? Field { get; } = field;

    /// <summary>A 400: <paramref name="field"/> is wrong.</summary>
    public static ApiException Bad(string? field, string message) => new(StatusCodes.Status400BadRequest, field, message);

    /// <summary>A 413: <paramref name="field"/> asks for more than a limit.</summary>
    public static ApiException TooLarge(string? field, string message) => new(StatusCodes.Status413PayloadTooLarge, field, message);
}
