using System.CommandLine;
using Elbo.Server;

namespace Elbo.Cli;

/// <summary>`elbo serve DIR`: the run over HTTP — the JSON API, its OpenAPI description and the latent explorer —
/// until Ctrl-C or SIGTERM, which stop it cleanly (exit 0). An address that cannot be listened on (a port in use) is
/// an I/O error, exit 1, like the other commands' environment errors.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var host = new Option<string>("--host") { Description = "the address to listen on (the loopback by default: this machine only)", DefaultValueFactory = _ => ServerOptions.DefaultHost };
        var port = new Option<int>("--port") { Description = "the TCP port (0: any free one)", DefaultValueFactory = _ => ServerOptions.DefaultPort };
        var data = new Option<string?>("--data") { Description = "the data whose test split is served (default: the run's)" };
        var points = new Option<int>("--points") { Description = "test examples the latent explorer shows", DefaultValueFactory = _ => ServedRun.DefaultPoints };
        var concurrency = new Option<int>("--concurrency") { Description = "model calls run at once (default: one per core); the others queue", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("serve", "Serve a run over HTTP: a JSON API (encode, decode, sample, reconstruct, score, interpolate; OpenAPI at /openapi.json) and the latent explorer at /.")
            { dir, host, port, data, points, concurrency };
        command.SetAction(parse =>
        {
            var options = new ServerOptions
            {
                Host = parse.GetValue(host)!, Port = parse.GetValue(port), Concurrency = parse.GetValue(concurrency),
            };
            Server.ModelServer.ParseHost(options.Host);              // a bad --host before the run is loaded
            if (options.Port is < 0 or > 65535) throw new ArgumentException($"--port must be 0..65535, got {options.Port}");
            if (options.Concurrency < 1) throw new ArgumentException($"--concurrency must be positive, got {options.Concurrency}");
            string run = parse.GetValue(dir)!;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var served = ServedRun.Load(run, parse.GetValue(data), parse.GetValue(points));
            // the GEMM plan timed on this model's encode and decode, batched and at one example (cached per machine)
            var gemm = GemmSetup.Describe(GemmSetup.ApplyForInference(served.Model), "encode and decode");
            using var interrupt = new TrainingInterrupt();
            var server = ModelServer.StartAsync(served, options, stderr).GetAwaiter().GetResult();
            try
            {
                var c = served.Config;
                stdout.WriteLine($"serving {served.Directory}: {c.Model.Name} VAE, latent {served.Model.Latent}, {c.Likelihood.Name} likelihood; " +
                    $"{served.Explorer.Codes.Count:N0} test points encoded ({clock.Elapsed.TotalSeconds:F1} s)");
                stdout.WriteLine($"  {gemm}, threads {Engine.Threading.ParallelRunner.Threads}");
                if (served.EvalNote is { } note) stdout.WriteLine($"  eval.json not used: {note}");
                stdout.WriteLine($"  explorer  {server.Address}");
                stdout.WriteLine($"  API       {server.Address}api/model (encode, decode, sample, reconstruct, score, interpolate)");
                stdout.WriteLine($"  OpenAPI   {server.Address}openapi.json");
                if (!System.Net.IPAddress.IsLoopback(ModelServer.ParseHost(options.Host)))
                    stdout.WriteLine($"  note: {options.Host} is not the loopback: other machines can reach this server");
                stdout.WriteLine("Ctrl-C stops it");
                stdout.Flush();
                interrupt.Token.WaitHandle.WaitOne();
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            stdout.WriteLine($"stopped ({interrupt.Signal})");
            return ElboCommand.Ok;
        });
        return command;
    }
}
