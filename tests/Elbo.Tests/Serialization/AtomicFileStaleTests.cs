using Elbo.Serialization;

namespace Elbo.Tests.Serialization;

public class AtomicFileStaleTests
{
    [Fact]
    public void TemporaryFilesOfDeadProcessesGoAndOthersStay()
    {
        var dir = Directory.CreateTempSubdirectory("elbo-stale").FullName;
        try
        {
            // a process id that is not running: one past the largest of the running ones is never in use at this moment
            int dead = System.Diagnostics.Process.GetProcesses().Max(p => p.Id) + 1000;
            string guid = Guid.NewGuid().ToString("N");
            string stale = $".model.safetensors.{dead}.{guid}.tmp", mine = $".config.json.{Environment.ProcessId}.{guid}.tmp";
            foreach (string name in new[] { stale, mine, "notes.tmp", ".odd.tmp", "model.safetensors" })
                File.WriteAllText(Path.Combine(dir, name), "x");
            Assert.Equal([stale], AtomicFile.RemoveStale(dir));
            Assert.False(File.Exists(Path.Combine(dir, stale)));
            foreach (string kept in new[] { mine, "notes.tmp", ".odd.tmp", "model.safetensors" })
                Assert.True(File.Exists(Path.Combine(dir, kept)), kept);
            Assert.Empty(AtomicFile.RemoveStale(Path.Combine(dir, "missing")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
