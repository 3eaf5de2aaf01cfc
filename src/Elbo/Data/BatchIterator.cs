namespace Elbo.Data;

/// <summary>
/// Cuts a dataset into batches, epoch after epoch. Each epoch visits every image once, in an order that depends only
/// on (seed, epoch): the permutation comes from a generator seeded with <see cref="EpochSeed"/>, so a resumed run
/// needs only the epoch number (and the batch index within it) to reproduce the same batches. Batches are copied into
/// two tensors made once — one of the full batch size and one for a smaller last batch — and two label arrays, so
/// fetching a batch allocates nothing. In a data-parallel run each process takes its shard of every batch
/// (<see cref="Elbo.Training.Distributed.BatchShard"/>): the order is the same on every process, and the iterator copies
/// only its own rows.
/// </summary>
public sealed class BatchIterator
{
    private readonly Dataset _dataset;
    private readonly Generator _generator = new(0);
    private readonly int[] _order;
    private readonly Tensor? _full, _last;
    private readonly int[] _fullLabels, _lastLabels;
    private readonly int _lastSize;
    private readonly Elbo.Training.Distributed.BatchShard _fullShard, _lastShard;

    /// <summary>Batches of <paramref name="batchSize"/> images from <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The images.</param>
    /// <param name="batchSize">Images per batch (the last batch of an epoch may be smaller).</param>
    /// <param name="seed">The run's seed; each epoch's order is derived from it and the epoch number.</param>
    /// <param name="shuffle">Whether to permute each epoch (otherwise the dataset's order).</param>
    /// <param name="layout">(B, C, H, W) or (B, C·H·W) tensors.</param>
    /// <param name="dropLast">Leave out the images of an incomplete last batch.</param>
    /// <param name="rank">This process's rank in a data-parallel run (0 alone).</param>
    /// <param name="ranks">The processes sharing each batch (1 alone).</param>
    public BatchIterator(Dataset dataset, int batchSize, ulong seed, bool shuffle = true,
        BatchLayout layout = BatchLayout.Images, bool dropLast = false, int rank = 0, int ranks = 1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (dropLast && dataset.Count < batchSize)
            throw new ArgumentException($"dataset {dataset.Name} has {dataset.Count} images, fewer than one batch of {batchSize}");
        _dataset = dataset;
        BatchSize = batchSize;
        Seed = seed;
        Shuffle = shuffle;
        Layout = layout;
        _order = new int[dataset.Count];
        int fullBatches = dataset.Count / batchSize;
        _lastSize = dropLast ? 0 : dataset.Count % batchSize;
        BatchCount = fullBatches + (_lastSize > 0 ? 1 : 0);
        _fullShard = Elbo.Training.Distributed.BatchShard.Of(batchSize, rank, ranks);
        _lastShard = Elbo.Training.Distributed.BatchShard.Of(_lastSize, rank, ranks);
        _full = fullBatches > 0 ? Tensor.Zeros(Shape(_fullShard.Count)) : null;
        _last = _lastSize > 0 ? Tensor.Zeros(Shape(_lastShard.Count)) : null;
        _fullLabels = new int[fullBatches > 0 ? _fullShard.Count : 0];
        _lastLabels = new int[_lastShard.Count];
        Epoch = -1;
    }

    /// <summary>The seed of epoch <paramref name="epoch"/>'s permutation: <c>seed · 1000003 + epoch</c> (wrapping).</summary>
    public static ulong EpochSeed(ulong seed, int epoch) => unchecked(seed * 1000003UL + (ulong)(long)epoch);

    /// <summary>The dataset being batched.</summary>
    public Dataset Dataset => _dataset;

    /// <summary>Images per full batch.</summary>
    public int BatchSize { get; }

    /// <summary>The run's seed.</summary>
    public ulong Seed { get; }

    /// <summary>Whether each epoch is permuted.</summary>
    public bool Shuffle { get; }

    /// <summary>The shape of the batch tensors.</summary>
    public BatchLayout Layout { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount { get; }

    /// <summary>The epoch set by the last <see cref="StartEpoch"/>, or -1 before the first.</summary>
    public int Epoch { get; private set; }

    /// <summary>The current epoch's order: the dataset index of each position.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>Sets the epoch whose batches <see cref="GetBatch"/> returns, computing its permutation. Allocates
    /// nothing.</summary>
    public void StartEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        if (Shuffle)
        {
            _generator.ManualSeed(EpochSeed(Seed, epoch));
            _generator.Shuffle(_order);
        }
        Epoch = epoch;
    }

    /// <summary>Fills and returns batch <paramref name="index"/> of the current epoch (this process's shard of it). The
    /// returned tensor and labels are overwritten by the next batch of the same size.</summary>
    public Batch GetBatch(int index)
    {
        if (Epoch < 0) throw new InvalidOperationException("batch iterator: call StartEpoch before GetBatch");
        if ((uint)index >= (uint)BatchCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"an epoch has {BatchCount} batches");
        bool last = _lastSize > 0 && index == BatchCount - 1;
        Tensor images = last ? _last! : _full!;
        int[] labels = last ? _lastLabels : _fullLabels;
        var shard = last ? _lastShard : _fullShard;
        int features = _dataset.Features;
        ReadOnlySpan<int> sourceLabels = _dataset.Labels;
        Span<float> destination = images.Data;
        int start = index * BatchSize + shard.Start;
        for (int k = 0; k < labels.Length; k++)
        {
            int source = _order[start + k];
            _dataset.CopyImage(source, destination.Slice(k * features, features));
            labels[k] = sourceLabels[source];
        }
        return new Batch(index, images, labels, shard.Start, last ? _lastSize : BatchSize);
    }

    /// <summary>Starts <paramref name="epoch"/> and enumerates its batches from <paramref name="firstBatch"/> on
    /// (to resume mid-epoch), without allocating.</summary>
    public EpochBatches Batches(int epoch, int firstBatch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        StartEpoch(epoch);
        return new EpochBatches(this, firstBatch);
    }

    private int[] Shape(int batch) => Layout == BatchLayout.Flat
        ? [batch, _dataset.Features]
        : [batch, _dataset.Channels, _dataset.Height, _dataset.Width];

    /// <summary>The batches of one epoch, for <c>foreach</c>.</summary>
    public readonly struct EpochBatches
    {
        private readonly BatchIterator _iterator;
        private readonly int _first;

        internal EpochBatches(BatchIterator iterator, int first)
        {
            _iterator = iterator;
            _first = first;
        }

        /// <summary>The enumerator.</summary>
        public Enumerator GetEnumerator() => new(_iterator, _first);

        /// <summary>Walks the batches of the epoch.</summary>
        public struct Enumerator
        {
            private readonly BatchIterator _iterator;
            private readonly int _epoch;
            private int _next;

            internal Enumerator(BatchIterator iterator, int first)
            {
                _iterator = iterator;
                _epoch = iterator.Epoch;
                _next = first;
                Current = default;
            }

            /// <summary>The current batch.</summary>
            public Batch Current { get; private set; }

            /// <summary>Fills the next batch; false at the end of the epoch.</summary>
            public bool MoveNext()
            {
                if (_iterator.Epoch != _epoch)
                    throw new InvalidOperationException("batch iterator: the epoch changed during enumeration");
                if (_next >= _iterator.BatchCount) return false;
                Current = _iterator.GetBatch(_next++);
                return true;
            }
        }
    }
}
