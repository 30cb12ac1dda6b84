namespace CycleGan.Data.Loading;

/// <summary>The reference's batch_size and num_threads, and how far loading may run ahead of training.</summary>
public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 1;

    /// <summary>Background threads decoding and transforming (num_threads); each builds whole batches. 0 starts none:
    /// each batch is decoded on the consumer's thread when it is asked for (the reference's num_workers=0).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>Batches built ahead of the consumer, at most; bounds memory at this many batches.</summary>
    public int QueueCapacity { get; init; } = 8;

    public void Validate()
    {
        if (BatchSize < 1 || Workers < 0 || QueueCapacity < 1)
        {
            throw new ArgumentException($"batch_size ({BatchSize}) and queue capacity ({QueueCapacity}) must be positive and workers ({Workers}) 0 or more");
        }
    }
}
