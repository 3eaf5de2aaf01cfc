using Elbo.Serialization;

namespace Elbo.Tests.Serialization;

public class AtomicFileTests
{
    [Fact]
    public void AFailedWriteLeavesThePreviousFileAndNoTemporaryFile()
    {
        string dir = Directory.CreateTempSubdirectory("elbo-atomic").FullName;
        try
        {
            string path = Path.Combine(dir, "a.txt");
            AtomicFile.WriteAllText(path, "first");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
            {
                s.Write("partial"u8);
                throw new InvalidOperationException("disk full");
            }));
            Assert.Equal("first", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(dir));
            AtomicFile.WriteAllText(path, "second");
            Assert.Equal("second", File.ReadAllText(path));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
