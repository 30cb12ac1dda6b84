namespace CycleGan.App.Training;

/// <summary>
/// The history of generated images that the discriminators learn from (Shrivastava et al.): until the pool is full
/// every image is stored and returned; afterwards each image is, with probability one half, swapped for a random
/// stored one (which is returned) or returned as it is. The pool owns its tensors (outside any dispose scope) and
/// disposes those it replaces.
/// </summary>
public sealed class ImagePool : IDisposable
{
    private readonly List<Tensor> images = [];
    private readonly SeededRandom random;

    public ImagePool(int poolSize, SeededRandom random)
    {
        if (poolSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize, "pool_size must be 0 or more");
        }

        PoolSize = poolSize;
        this.random = random ?? throw new ArgumentNullException(nameof(random));
    }

    public int PoolSize { get; }

    public int Count => images.Count;

    /// <summary>The stored images (each 1xCxHxW), oldest slot first.</summary>
    public IReadOnlyList<Tensor> Images => images;

    /// <summary>Returns a batch of the same size drawn from the history, updating it.</summary>
    public Tensor Query(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (PoolSize == 0)
        {
            return batch;
        }

        var result = new List<Tensor>((int)batch.shape[0]);
        for (long i = 0; i < batch.shape[0]; i++)
        {
            Tensor image = batch[i].unsqueeze(0).detach();
            if (images.Count < PoolSize)
            {
                images.Add(Keep(image));
                result.Add(image);
            }
            else if (random.NextDouble() > 0.5)
            {
                int slot = random.NextInt(PoolSize);
                Tensor old = images[slot];
                // a history image of another size (the crop size was changed on resume) cannot join this batch: the
                // new image takes its slot and its place in the batch
                result.Add(old.shape.SequenceEqual(image.shape) ? old.clone() : image);
                images[slot] = Keep(image);
                old.Dispose();
            }
            else
            {
                result.Add(image);
            }
        }

        return torch.cat(result, 0);
    }

    /// <summary>Replaces the history (when a checkpoint is restored); the pool takes copies.</summary>
    public void Restore(IEnumerable<Tensor> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        Clear();
        foreach (Tensor t in stored)
        {
            if (images.Count == PoolSize)
            {
                throw new ArgumentException($"the saved pool holds more than pool_size {PoolSize} images", nameof(stored));
            }

            images.Add(Keep(t.detach()));
        }
    }

    public void Dispose() => Clear();

    private void Clear()
    {
        foreach (Tensor t in images)
        {
            t.Dispose();
        }

        images.Clear();
    }

    private static Tensor Keep(Tensor image) => image.clone().DetachFromDisposeScope();
}
