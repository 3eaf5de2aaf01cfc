namespace Elbo.Data.Tables;

/// <summary>
/// A read-only view of a seekable stream whose <see cref="ReadByte"/> throws <see cref="EndOfStreamException"/> at the
/// end instead of returning -1. Parquet.Net 6.1's Thrift reader takes ReadByte's -1 for the byte 0xFF, a varint that
/// never ends, and loops for ever on a footer or page header cut short (afl-fuzz found such files); through this view
/// the same read ends in an exception the table reader reports as a damaged file.
/// </summary>
internal sealed class EndThrowingStream(Stream inner, bool ownsInner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int ReadByte() => inner.ReadByte() is int b and >= 0 ? b : throw new EndOfStreamException("the data end in the middle of a value");

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner) inner.Dispose();
        base.Dispose(disposing);
    }
}
