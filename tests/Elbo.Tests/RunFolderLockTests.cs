namespace Elbo.Tests;

public class RunFolderLockTests
{
    [Fact]
    public void OneClaimAtATimeAndReleasedOnDispose()
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("elbo-lock").FullName, "run");
        try
        {
            var first = RunFolderLock.Acquire(folder);
            Assert.True(File.Exists(Path.Combine(folder, RunFolderLock.FileName)));
            var e = Assert.Throws<RunFolderInUseException>(() => RunFolderLock.Acquire(folder));
            Assert.Contains($"is in use: elbo train (pid {Environment.ProcessId}) is writing into it", e.Message);
            first.Dispose();
            first.Dispose();                                   // twice is fine
            Assert.False(File.Exists(Path.Combine(folder, RunFolderLock.FileName)));
            RunFolderLock.Acquire(folder).Dispose();
            using (RunFolderLock.Acquire(folder, "elbo plot"))
                Assert.Contains($"elbo plot (pid {Environment.ProcessId})", Assert.Throws<RunFolderInUseException>(() => RunFolderLock.Acquire(folder)).Message);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
