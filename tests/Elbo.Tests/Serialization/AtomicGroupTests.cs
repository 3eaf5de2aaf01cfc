using Elbo.Serialization;

namespace Elbo.Tests.Serialization;

/// <summary>A command's files written as a group: all of them, or (a failure part-way, such as a full disk) none.</summary>
public sealed class AtomicGroupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elbo-group").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void AFailureAfterTheFirstFileLeavesEveryTargetAsItWasAndNoTemporaryFile()
    {
        AtomicFile.WriteAllText(File("a.svg"), "old a");
        Assert.Throws<IOException>(() =>
        {
            using var group = AtomicFile.Group();
            AtomicFile.WriteAllText(File("a.svg"), "new a");
            AtomicFile.WriteAllText(File("b.png"), "new b");
            AtomicFile.Write(File("c.json"), s => throw new IOException("No space left on device"));
            group.Commit();
        });
        Assert.Equal("old a", System.IO.File.ReadAllText(File("a.svg")));
        Assert.False(System.IO.File.Exists(File("b.png")));
        Assert.Equal(["a.svg"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void FilesWaitForTheCommitAndThenAllAppear()
    {
        using (var group = AtomicFile.Group())
        {
            AtomicFile.WriteAllText(File("a.svg"), "a");
            AtomicFile.WriteAllText(File("b.png"), "b");
            Assert.False(System.IO.File.Exists(File("a.svg")));
            Assert.Equal([File("a.svg"), File("b.png")], group.Targets);
            group.Commit();
        }
        Assert.Equal("a", System.IO.File.ReadAllText(File("a.svg")));
        Assert.Equal("b", System.IO.File.ReadAllText(File("b.png")));
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
        AtomicFile.WriteAllText(File("c.txt"), "c");      // after the group: written at once again
        Assert.True(System.IO.File.Exists(File("c.txt")));
    }

    [Fact]
    public void AGroupInsideAnotherCommitsWithTheOuterOne()
    {
        using (var outer = AtomicFile.Group())
        {
            using (var inner = AtomicFile.Group())
            {
                AtomicFile.WriteAllText(File("inner.txt"), "i");
                inner.Commit();
            }
            Assert.False(System.IO.File.Exists(File("inner.txt")));
            AtomicFile.WriteAllText(File("outer.txt"), "o");
            outer.Commit();
        }
        Assert.True(System.IO.File.Exists(File("inner.txt")) && System.IO.File.Exists(File("outer.txt")));
    }

    [Fact]
    public void AnIoErrorNamesTheTargetNotTheHiddenTemporaryFile()
    {
        string target = File("samples_3.png");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(target, s =>
            throw new IOException($"No space left on device : '{Path.Combine(_dir, ".samples_3.png.1.0123.tmp")}'")));
        Assert.Equal($"{target}: cannot be written (No space left on device)", e.Message);
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
