using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Elbo.Data;
using Elbo.Server.Api;
using Elbo.Server.Contracts;
using Elbo.Server.Explorer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Elbo.Server;

/// <summary>
/// <c>elbo serve</c>'s web server (ASP.NET Core's Kestrel): the JSON API (<c>/api/…</c>, <see cref="ModelApi"/>) with its
/// OpenAPI description at <c>/openapi.json</c>, and the latent explorer at <c>/</c>. It listens on one address —
/// the loopback by default — and answers every refusal as JSON <c>{"error", "field"}</c> with its status (400, 404,
/// 405, 413, 415, 503); an unexpected failure of one request is a 500 for that request alone, written to the log, and the
/// server goes on. It never writes a file.
/// </summary>
public sealed class ModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ModelServer(WebApplication app, Uri address, ServedRun run, ModelGate gate)
    {
        _app = app;
        Address = address;
        Run = run;
        Gate = gate;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:8080/</c> (the port chosen when 0 was asked).</summary>
    public Uri Address { get; }

    /// <summary>The run served.</summary>
    public ServedRun Run { get; }

    /// <summary>The gate model calls pass.</summary>
    public ModelGate Gate { get; }

    /// <summary>Starts serving <paramref name="run"/> as <paramref name="options"/> say; <paramref name="log"/>
    /// receives a line for every request that failed inside the server (a 500).</summary>
    /// <exception cref="ArgumentException">A bad host, port or limit.</exception>
    /// <exception cref="IOException">The address cannot be listened on (in use, or not this machine's).</exception>
    public static async Task<ModelServer> StartAsync(ServedRun run, ServerOptions options, TextWriter? log = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.Validate();
        var ip = ParseHost(options.Host);
        if (options.Port is < 0 or > 65535) throw new ArgumentException($"--port must be 0..65535, got {options.Port}");
        if (options.Concurrency < 1) throw new ArgumentException($"--concurrency must be positive, got {options.Concurrency}");
        var limits = options.Limits;
        var gate = new ModelGate(options.Concurrency, limits.MaxQueued);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [], EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CallerLifetime>();     // the caller handles Ctrl-C
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = limits.MaxBodyBytes;
            kestrel.Listen(ip, options.Port);
        });
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new()
            {
                Title = "Elbo model server",
                Version = typeof(ModelServer).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
                Description = "A trained Elbo run (a variational autoencoder) over HTTP: encode, decode, sample, reconstruct, score "
                    + "and interpolate; errors are {\"error\", \"field\"} with status 400, 413 or 503. See docs/serve.md.",
            };
            return Task.CompletedTask;
        }));

        var app = builder.Build();
        app.Use((context, next) => Guard(context, next, log));
        app.UseStatusCodePages(WriteStatus);
        new ModelApi(run, gate, limits).Map(app);
        ExplorerAssets.Map(app);
        app.MapOpenApi("/openapi.json");
        try
        {
            await app.StartAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Kestrel reports a port in use as an IOException, an address this machine does not have as a bare
            // SocketException: both become one IOException naming the address.
            await app.DisposeAsync().ConfigureAwait(false);
            var socket = e as SocketException ?? e.InnerException as SocketException;
            string reason = socket?.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => InUse,
                SocketError.AddressNotAvailable => "the address is not one of this machine's (the loopback, 127.0.0.1, always is)",
                SocketError.AccessDenied => "permission denied (a port below 1024 needs privileges)",
                _ when e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase) => InUse,
                _ => e.Message.Split('\n')[0].TrimEnd(),
            };
            throw new IOException($"cannot listen on {options.Host}:{options.Port}: {reason}", e);
        }
        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ModelServer(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"), run, gate);
    }

    private const string InUse = "the port is in use (give another with --port, or 0 for any free one)";

    /// <summary>Stops listening, letting requests in progress finish within <paramref name="grace"/> (default 5 s).</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The address <paramref name="host"/> names: an IP address, or <c>localhost</c> for 127.0.0.1.</summary>
    public static IPAddress ParseHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        if (IPAddress.TryParse(host, out var ip)) return ip;
        throw new ArgumentException($"--host takes an IP address (127.0.0.1, ::1, 0.0.0.0) or localhost, got '{host}'");
    }

    // Every refusal as JSON; an unexpected failure is a 500 for this request only.
    private static async Task Guard(HttpContext context, RequestDelegate next, TextWriter? log)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away; nothing to answer
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, field, message) = e switch
            {
                ApiException a => (a.Status, a.Field, a.Message),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, null, "the body is over the server's limit"),
                BadHttpRequestException b => (b.StatusCode, null, b.Message),
                // the library refusing an input the server's checks let through: still the request's fault
                ArgumentException or DataFormatException => (StatusCodes.Status400BadRequest, null, e.Message),
                _ => (StatusCodes.Status500InternalServerError, null, $"internal error: {e.GetType().Name}: {e.Message}"),
            };
            if (status == StatusCodes.Status500InternalServerError && log is not null)
                lock (log) log.WriteLine($"elbo serve: {context.Request.Method} {context.Request.Path}: {e}");
            context.Response.Clear();
            await WriteError(context.Response, status, message, field).ConfigureAwait(false);
        }
    }

    // 404, 405 and 415 from routing, as JSON.
    private static Task WriteStatus(StatusCodeContext status)
    {
        var response = status.HttpContext.Response;
        var request = status.HttpContext.Request;
        string message = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"no such route: {request.Method} {request.Path} (the API is described at /openapi.json)",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}",
            StatusCodes.Status415UnsupportedMediaType => $"send the request as JSON (Content-Type: application/json), not {request.ContentType ?? "without a content type"}",
            _ => $"status {response.StatusCode}",
        };
        return WriteError(response, response.StatusCode, message, null);
    }

    private static Task WriteError(HttpResponse response, int status, string message, string? field)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        return response.WriteAsync(JsonSerializer.Serialize(new ApiError(message.Split('\n')[0].TrimEnd(), field), StrictJson.Write));
    }

    // The host's lifetime without console handling: the caller (the CLI, a test) decides when to stop.
    private sealed class CallerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
