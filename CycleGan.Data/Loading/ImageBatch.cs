namespace CycleGan.Data.Loading;

/// <summary>A batch of one domain: N images as float32 in NCHW order, values in [-1, 1], with their source files.</summary>
public sealed record ImageBatch(float[] Data, int Count, int Channels, int Height, int Width, IReadOnlyList<string> Paths)
{
    public long[] Shape => [Count, Channels, Height, Width];
}

/// <summary>One training step's input: a batch of each domain, and the position just after it (save that with a
/// checkpoint to resume after this batch).</summary>
public sealed record UnpairedBatch(ImageBatch A, ImageBatch B, Datasets.DatasetPosition Next);
