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
            Assert.Contains($"pid {Environment.ProcessId}", e.Message);
            first.Dispose();
            first.Dispose();                                   // twice is fine
            Assert.False(File.Exists(Path.Combine(folder, RunFolderLock.FileName)));
            RunFolderLock.Acquire(folder).Dispose();
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
