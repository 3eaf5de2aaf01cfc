namespace Elbo.Tests;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "elbo-runfolder-" + Guid.NewGuid().ToString("N"));

    public RunFolderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void StartingOverRemovesWhatTheOldModelMadeAndNothingElse()
    {
        var folder = new RunFolder(_dir);
        string[] derived = [RunFolder.Metrics, RunFolder.Eval, RunFolder.Report, RunFolder.Latent, RunFolder.Comparison,
            RunFolder.SamplesName(3), RunFolder.ReconstructionsName(3)];
        string[] kept = [RunFolder.Weights, RunFolder.Config, "notes.txt", "samples_of_mine.csv"];
        foreach (var name in derived.Concat(kept)) File.WriteAllText(folder.File(name), "x");
        folder.RemoveDerived();
        Assert.All(derived, name => Assert.False(File.Exists(folder.File(name)), name));
        Assert.All(kept, name => Assert.True(File.Exists(folder.File(name)), name));
    }

    [Fact]
    public void RemoveDerivedRemovesTheExportedFilesAndTheirFolderWhenNothingElseIsThere()
    {
        var folder = new RunFolder(_dir);
        string export = folder.File(RunFolder.Export);
        Directory.CreateDirectory(export);
        foreach (var name in new[] { RunFolder.EncoderOnnx, RunFolder.DecoderOnnx }) File.WriteAllText(Path.Combine(export, name), "x");
        folder.RemoveDerived();
        Assert.False(Directory.Exists(export));

        Directory.CreateDirectory(export);
        File.WriteAllText(Path.Combine(export, RunFolder.EncoderOnnx), "x");
        File.WriteAllText(Path.Combine(export, "mine.onnx"), "x");
        folder.RemoveDerived();
        Assert.Equal(["mine.onnx"], Directory.GetFiles(export).Select(Path.GetFileName));
    }

    [Fact]
    public void ACheckpointNeedsBothFiles()
    {
        var folder = new RunFolder(_dir);
        Assert.False(folder.HoldsRun);
        File.WriteAllText(folder.File(RunFolder.Config), "{}");
        Assert.True(folder.HoldsRun);
        Assert.False(folder.HasCheckpoint);
        File.WriteAllText(folder.File(RunFolder.Weights), "");
        Assert.True(folder.HasCheckpoint);
    }

    [Fact]
    public void SampleEpochsAreReadFromThePictureNames()
    {
        var folder = new RunFolder(_dir);
        foreach (int e in new[] { 10, 2, 1 }) File.WriteAllText(folder.File(RunFolder.SamplesName(e)), "");
        File.WriteAllText(folder.File("samples_x.png"), "");
        Assert.Equal([1, 2, 10], folder.SampleEpochs());
        Assert.Empty(new RunFolder(Path.Combine(_dir, "none")).SampleEpochs());
    }
}
