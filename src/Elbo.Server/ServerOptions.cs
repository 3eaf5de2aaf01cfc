namespace Elbo.Server;

/// <summary>How <c>elbo serve</c> listens and what it allows.</summary>
public sealed record ServerOptions
{
    /// <summary>The loopback address, the default: the server is reachable from this machine only.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>The default port.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The IP address to listen on (<c>localhost</c> is the IPv4 loopback).</summary>
    public string Host { get; init; } = DefaultHost;

    /// <summary>The TCP port (0: any free port, reported by <see cref="ModelServer.Address"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>How many model calls run at once (default: one per core); the others wait their turn.</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>The request limits.</summary>
    public ServerLimits Limits { get; init; } = new();
}
