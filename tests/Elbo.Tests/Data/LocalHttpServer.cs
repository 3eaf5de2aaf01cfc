using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Elbo.Tests.Data;

/// <summary>A minimal HTTP server on 127.0.0.1 for download tests: serves the bytes registered for a path, 404
/// otherwise, and counts the requests per path.</summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly Task _loop;

    public LocalHttpServer()
    {
        Port = FreePort();
        BaseUrl = $"http://127.0.0.1:{Port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>"http://127.0.0.1:PORT/".</summary>
    public string BaseUrl { get; }

    /// <summary>Serves <paramref name="bytes"/> at <paramref name="path"/> (e.g. "/b/file.gz").</summary>
    public void Serve(string path, byte[] bytes) => _files[path] = bytes;

    /// <summary>Requests received for <paramref name="path"/>.</summary>
    public int Requests(string path) => _requests.GetValueOrDefault(path);

    /// <summary>Requests received in all.</summary>
    public int TotalRequests => _requests.Values.Sum();

    /// <summary>A port nothing listens on (for a refused connection).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            string path = context.Request.Url!.AbsolutePath;
            _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            using HttpListenerResponse response = context.Response;
            if (_files.TryGetValue(path, out byte[]? bytes))
            {
                response.StatusCode = 200;
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
            }
            else response.StatusCode = 404;
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
