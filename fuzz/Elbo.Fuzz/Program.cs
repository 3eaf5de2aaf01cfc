using Elbo.Fuzz;
using Elbo.Fuzz.Targets;
using SharpFuzz;

// The afl++ harness of Elbo's parsers (docs/fuzzing.md).
//   Elbo.Fuzz TARGET                 under afl-fuzz (scripts/fuzz.sh): the input arrives on stdin, one per execution;
//                                    outside afl-fuzz the same, once (an unexpected exception ends it with its trace)
//   Elbo.Fuzz replay TARGET PATH...  runs each file (or every file of each folder) once and says what happened;
//                                    exit 1 when any is a finding
//   Elbo.Fuzz seeds DIR [TARGET...]  writes the seed corpora DIR/TARGET/* (fuzz/corpus in the repository)
//   Elbo.Fuzz list                   the targets, their afl timeouts and what they call
FuzzTarget[] targets =
[
    new IdxTarget(), new SafeTensorsTarget(), new ConfigTarget(), new ImageTarget("png", ".png"), new ImageTarget("jpeg", ".jpg"),
    new TableTarget("csv", ".csv"), new TableTarget("parquet", ".parquet"), new HttpTarget(),
];
// Instrumented code records its branches in SharpFuzz's trace map, which only afl-fuzz provides; the commands that run
// outside it (replay, seeds, a single run) get a map of their own that nothing reads.
unsafe
{
    if (SharpFuzz.Common.Trace.SharedMem is null) SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
}
FuzzTarget? Find(string name) => targets.FirstOrDefault(t => t.Name == name);
string names = string.Join(", ", targets.Select(t => t.Name));

if (args.Length == 0)
{
    Console.Error.WriteLine($"usage: Elbo.Fuzz TARGET | replay TARGET PATH... | seeds DIR [TARGET...] | list   (targets: {names})");
    return 2;
}
switch (args[0])
{
    case "list":
        foreach (var t in targets) Console.WriteLine($"{t.Name}\t{t.TimeoutMs}\t{t.Description}");
        return 0;
    case "seeds" when args.Length >= 2:
    {
        var scratch = new Scratch();
        try
        {
            foreach (var t in args.Length > 2 ? args[2..].Select(n => Find(n) ?? throw new ArgumentException($"no target {n} ({names})")) : targets)
            {
                string folder = Path.Combine(args[1], t.Name);
                Directory.CreateDirectory(folder);
                foreach (var (name, bytes) in t.Seeds(scratch))
                {
                    File.WriteAllBytes(Path.Combine(folder, name), bytes);
                    Console.WriteLine($"{t.Name}/{name}\t{bytes.Length} bytes");
                }
            }
        }
        finally
        {
            scratch.Delete();
        }
        return 0;
    }
    case "replay" when args.Length >= 3:
    {
        var target = Find(args[1]);
        if (target is null)
        {
            Console.Error.WriteLine($"no target {args[1]} ({names})");
            return 2;
        }
        var scratch = new Scratch();
        int findings = 0;
        try
        {
            target.Start(scratch);
            var files = args[2..].SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]);
            foreach (string file in files)
            {
                try
                {
                    string? refusal = target.Run(File.ReadAllBytes(file), scratch);
                    Console.WriteLine(refusal is null ? $"{file}: accepted" : $"{file}: refused: {refusal}");
                }
                catch (Exception e)
                {
                    findings++;
                    Console.WriteLine($"{file}: FINDING {e.GetType().FullName}: {e.Message.Split('\n')[0]}");
                    // the exception chain and Elbo's own frames: where the reader let it through
                    foreach (string line in e.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("--->", StringComparison.Ordinal) || l.StartsWith("at Elbo.", StringComparison.Ordinal)).Take(8))
                        Console.WriteLine("    " + line);
                }
            }
        }
        finally
        {
            scratch.Delete();
        }
        return findings > 0 ? 1 : 0;
    }
    default:
    {
        var target = Find(args[0]);
        if (target is null || args.Length > 1)
        {
            Console.Error.WriteLine($"usage: Elbo.Fuzz TARGET | replay TARGET PATH... | seeds DIR [TARGET...] | list   (targets: {names})");
            return 2;
        }
        Scratch? scratch = null;
        // Out of process: the afl-facing process restarts the worker when an input kills it (a stack overflow) or afl
        // kills it for a timeout, so a round goes on after a hang or a crash that ends the process. The target starts
        // in the worker, at its first input (SharpFuzz runs that one twice and keeps the second trace).
        Fuzzer.OutOfProcess.Run(stream =>
        {
            if (scratch is null)
            {
                scratch = new Scratch();
                target.Start(scratch);
            }
            var input = new MemoryStream();
            stream.CopyTo(input);
            target.Run(input.ToArray(), scratch);
        });
        return 0;
    }
}
