using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Serialization;
using Elbo.Tests.Data;
using Elbo.Server;
using Elbo.Server.Api;
using Elbo.Server.Contracts;
using Microsoft.AspNetCore.Http;

namespace Elbo.Tests.Fuzz;

/// <summary>
/// Every input afl-fuzz found that crashed or hung a reader (scripts/fuzz.sh, docs/fuzzing.md), kept as it was found in
/// Fuzz/Findings/, each with a test that fails if the bug comes back: the reader refuses the input with its typed,
/// one-line error, quickly and without taking memory the input does not justify.
/// </summary>
public class AflFindingsTests
{
    private static byte[] Finding(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fuzz", "Findings", name));

    // The bytes allocated on this thread by read (the readers allocate on the calling thread).
    private static long Allocated(Action read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        read();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Theory]
    // 31 bytes whose header claims 1,493,678,123 elements: the reader allocated 1.5 GB before finding the file short
    // (afl's timeout: a hang). 
    [InlineData("idx-claims-1.5GB.idx", "truncated: expected 1493678131 bytes of data (1493678123), found 31")]
    // a gzip stream inflating to a header that claims gigabytes, corrupt further on
    [InlineData("idx-gzip-claims-gigabytes.idx.gz", "corrupt gzip data")]
    public void AShortIdxFileClaimingGigabytesIsRefusedWithoutTakingThem(string name, string problem)
    {
        var bytes = Finding(name);
        DataFormatException? error = null;

        long allocated = Allocated(() => error = Assert.Throws<DataFormatException>(() => IdxReader.Read(new MemoryStream(bytes), name)));

        Assert.StartsWith(problem, error!.Problem);
        Assert.True(allocated < 8 << 20, $"{allocated:N0} bytes allocated to refuse a file of {bytes.Length} bytes");
    }

    [Theory]
    // footers on which Parquet.Net 6.1's Thrift reader read past the end and took ReadByte's -1 for a varint byte with
    // its continuation bit set: a loop without end (afl's hangs); the test waits 60 s, then fails
    [InlineData("parquet-footer-endless-varint.parquet", "its footer, the metadata, does not decode: the data end in the middle of a value")]
    [InlineData("parquet-footer-endless-list.parquet", "its footer, the metadata, does not decode: the data end in the middle of a value")]
    // a footer length of 2^31 - 1 in a file of 1,379 bytes: Parquet.Net's OutOfMemoryException ("Array dimensions
    // exceeded supported range"), which the reader lets through as memory exhaustion
    [InlineData("parquet-footer-length-past-the-file.parquet", "its footer's length 2147483647 does not fit the file's 1379 bytes")]
    // a footer within the file whose Thrift list claims more elements than an array can hold (the CI fuzz round's
    // find): the OutOfMemoryException inside Parquet.Net's footer reader is damage, not memory exhaustion
    [InlineData("parquet-footer-list-beyond-array-limit.parquet", "its footer, the metadata, does not decode: Array dimensions exceeded supported range.")]
    public void AParquetFileWithADamagedFooterIsAFormatErrorAtOnce(string name, string problem)
    {
        using var dir = new TempFolder();
        string path = dir.File("table.parquet");
        File.WriteAllBytes(path, Finding(name));

        var read = Task.Run(() => Assert.Throws<DataFormatException>(() => TableReader.Read(path)));

        Assert.True(read.Wait(TimeSpan.FromSeconds(60)), "the read did not end");
        Assert.Equal($"is not a readable Parquet file ({problem})", read.Result.Problem);
    }

    [Theory]
    // a tensor name, and a metadata value, with bytes that are not UTF-8 (0xC1, 0xFF): JsonDocument accepts the
    // structure and decodes strings only when asked, which threw InvalidOperationException
    [InlineData("safetensors-invalid-utf8-name.safetensors")]
    [InlineData("safetensors-invalid-utf8-value.safetensors")]
    // the same with an escape that is no character, a lone surrogate \ud800: in a metadata value and in a tensor name
    [InlineData("safetensors-lone-surrogate-metadata.safetensors")]
    [InlineData("safetensors-lone-surrogate-name.safetensors")]
    public void ASafetensorsHeaderWithAStringThatDoesNotDecodeIsACheckpointFormatError(string name)
    {
        using var dir = new TempFolder();
        string path = dir.File("model.safetensors");
        File.WriteAllBytes(path, Finding(name));

        var e = Assert.Throws<CheckpointFormatException>(() => { Checkpoint.Load(dir.File("config.json"), path); });

        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(path)}: the header holds a string that is not valid UTF-8 or Unicode \\(at byte [0-9]+\\)$", e.Message);
    }

    [Theory]
    // a real run's config.json with one field set to null: a NullReferenceException in ModelOptions and its checks
    [InlineData("config-hidden-null.json", "hidden")]
    [InlineData("config-model-null.json", "model")]
    public void AConfigWithNullWhereAValueMustBeIsACheckpointFormatErrorNamingTheField(string name, string field)
    {
        using var dir = new TempFolder();
        string path = dir.File("config.json");
        File.WriteAllBytes(path, Finding(name));

        var e = Assert.Throws<CheckpointFormatException>(() => RunConfigFile.Read(path));

        Assert.StartsWith($"{path}: invalid run configuration: ", e.Message);
        Assert.Contains($"'{field}'", e.Message);
        Assert.Contains($"Path: $.{field}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    // a null inside a list: the serializer does not check elements against their annotation; a null table column was a
    // NullReferenceException in the schema's layout, a null class name one in every legend
    [InlineData("config-table-column-null.json", "$.table.columns[0]")]
    [InlineData("config-class-name-null.json", "$.classNames[0]")]
    public void AConfigWithNullInAListIsACheckpointFormatErrorNamingTheEntry(string name, string entry)
    {
        using var dir = new TempFolder();
        string path = dir.File("config.json");
        File.WriteAllBytes(path, Finding(name));

        var e = Assert.Throws<CheckpointFormatException>(() => RunConfigFile.Read(path));

        Assert.Equal($"{path}: invalid run configuration: {entry} is null, and no list in a configuration holds null", e.Message);
    }

    [Fact]
    // a gemm record whose "backend" key afl mutated into "backerd": the positional record took null for it, and writing
    // the configuration back (a resume rewrites config.json) threw JsonException
    public void AConfigWithAPositionalRecordFieldLeftOutIsACheckpointFormatError()
    {
        using var dir = new TempFolder();
        string path = dir.File("config.json");
        File.WriteAllBytes(path, Finding("config-gemm-without-backend.json"));

        var e = Assert.Throws<CheckpointFormatException>(() => RunConfigFile.Read(path));

        Assert.StartsWith($"{path}: invalid run configuration: JSON deserialization for type 'Elbo.Serialization.GemmRecord' was missing required properties including: 'backend'", e.Message);
    }

    [Fact]
    // a property name that is a lone surrogate escape: the check for nulls in lists read it and threw
    // InvalidOperationException
    public void AConfigWithAStringThatDoesNotDecodeIsACheckpointFormatError()
    {
        using var dir = new TempFolder();
        string path = dir.File("config.json");
        File.WriteAllBytes(path, Finding("config-lone-surrogate-name.json"));

        var e = Assert.Throws<CheckpointFormatException>(() => RunConfigFile.Read(path));

        Assert.Equal($"{path}: invalid run configuration: a string that is not valid Unicode at byte 1", e.Message);
    }

    [Fact]
    // an input shape of 1 × 100,000 × 100,000 passed the model's checks and overflowed when the model counted its
    // inputs (an OverflowException from DataShape.Features)
    public void AConfigWhoseInputShapeCannotBeCountedIsASettingError()
    {
        using var dir = new TempFolder();
        string path = dir.File("config.json");
        File.WriteAllBytes(path, Finding("config-input-10-gigavalues.json"));
        var config = RunConfigFile.Read(path);

        var e = Assert.Throws<SettingException>(() => config.ModelOptions().Validate());

        Assert.Equal("input", e.Setting);
        Assert.Contains("more values per example than an array holds", e.Problem);
    }

    [Theory]
    // POST /api/interpolate with a table row whose category is not UTF-8 (0x94), and POST /api/decode with a label that
    // is a lone surrogate escape ("\udc00x"): the serializer keeps a JsonElement's text undecoded, and the readers'
    // GetString threw InvalidOperationException, a 500
    [InlineData("http-interpolate-row-invalid-utf8.req", 34)]
    [InlineData("http-decode-label-lone-surrogate.req", 23)]
    public async Task ARequestBodyWithAStringThatDoesNotDecodeIsA400(string name, int at)
    {
        var input = Finding(name);     // the harness's first byte picks the route
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(input, 1, input.Length - 1);

        var e = await Assert.ThrowsAsync<ApiException>(() => name.Contains("decode", StringComparison.Ordinal)
            ? StrictJson.ReadAsync<DecodeRequest>(context.Request, 1 << 20)
            : StrictJson.ReadAsync<InterpolateRequest>(context.Request, 1 << 20));

        Assert.Equal(StatusCodes.Status400BadRequest, e.Status);
        Assert.Equal($"the body holds a string that is not valid UTF-8 or Unicode (at byte {at}): send JSON text", e.Message);
    }
}
