using System.Runtime.ExceptionServices;
using CycleGan.Data.Datasets;

namespace CycleGan.Data.Loading;

/// <summary>
/// Runs decoding and transforms ahead of training: worker threads build whole batches into a bounded window that the
/// consumer reads in order. Batch k always holds the same samples whichever worker built it, so the stream is the
/// dataset's deterministic one. Cancelling the token (or abandoning the enumeration) stops the workers after the image
/// each is decoding; a worker's failure is rethrown to the consumer when it reaches that batch.
/// </summary>
public sealed class PrefetchLoader
{
    private readonly UnpairedDataset _dataset;
    private readonly LoaderOptions _options;

    public PrefetchLoader(UnpairedDataset dataset, LoaderOptions options)
    {
        options.Validate();
        _dataset = dataset;
        _options = options;
    }

    public int BatchesPerEpoch => (_dataset.Length + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>The batches from <paramref name="from"/> to the end of its epoch (the last one may be short, as the
    /// reference's drop_last=False).</summary>
    public IEnumerable<UnpairedBatch> ReadEpoch(DatasetPosition from, CancellationToken cancellation = default)
    {
        if (from.Offset < 0 || from.Offset > _dataset.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"position offset {from.Offset} is outside the epoch of {_dataset.Length} samples; " +
                                                               "was it saved with another dataset or max_dataset_size?");
        }

        return Enumerate(from, cancellation);
    }

    private IEnumerable<UnpairedBatch> Enumerate(DatasetPosition from, CancellationToken cancellation)
    {
        int batchSize = _options.BatchSize, epoch = from.Epoch, start = from.Offset;
        int total = (_dataset.Length - start + batchSize - 1) / batchSize;
        if (total == 0)
        {
            yield break;
        }

        if (_options.Workers == 0)
        {
            for (int i = 0; i < total; i++)
            {
                int first = start + i * batchSize;
                yield return BatchCollator.Build(_dataset, epoch, first, Math.Min(batchSize, _dataset.Length - first), cancellation);
            }

            yield break;
        }

        var results = new TaskCompletionSource<UnpairedBatch>[total];
        for (int i = 0; i < total; i++)
        {
            results[i] = new TaskCompletionSource<UnpairedBatch>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var window = new SemaphoreSlim(_options.QueueCapacity);
        int claimed = -1;
        var threads = new Thread[Math.Min(_options.Workers, total)];
        for (int w = 0; w < threads.Length; w++)
        {
            threads[w] = new Thread(() => Work()) { IsBackground = true, Name = $"data-loader-{w}" };
            threads[w].Start();
        }

        try
        {
            for (int k = 0; k < total; k++)
            {
                Task<UnpairedBatch> ready = results[k].Task;
                stop.Token.ThrowIfCancellationRequested(); // even when the batch is ready: cancel means stop now
                try
                {
                    ready.Wait(stop.Token);
                }
                catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
                {
                    ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
                }

                window.Release(); // this batch leaves the window; a worker may start the next
                yield return ready.Result;
            }
        }
        finally
        {
            stop.Cancel();
            foreach (Thread t in threads)
            {
                t.Join();
            }
        }

        void Work()
        {
            CancellationToken token = stop.Token;
            try
            {
                while (true)
                {
                    window.Wait(token);
                    int k = Interlocked.Increment(ref claimed);
                    if (k >= total)
                    {
                        return;
                    }

                    try
                    {
                        int first = start + k * batchSize;
                        int count = Math.Min(batchSize, _dataset.Length - first);
                        results[k].TrySetResult(BatchCollator.Build(_dataset, epoch, first, count, token));
                    }
                    catch (OperationCanceledException)
                    {
                        results[k].TrySetCanceled(token);
                        return;
                    }
                    catch (Exception ex)
                    {
                        results[k].TrySetException(ex);
                        return; // the consumer stops at this batch; the rest are not needed
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // stopping: nothing was claimed
            }
        }
    }
}
