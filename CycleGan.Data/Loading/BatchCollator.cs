using CycleGan.Data.Datasets;

namespace CycleGan.Data.Loading;

/// <summary>Stacks consecutive samples of an epoch into NCHW batches.</summary>
public static class BatchCollator
{
    /// <summary>Samples [first, first + count) of <paramref name="epoch"/>, with the position after them.</summary>
    public static UnpairedBatch Build(UnpairedDataset dataset, int epoch, int first, int count, CancellationToken cancellation = default)
    {
        var a = new ImageBatch[count];
        var b = new ImageBatch[count];
        for (int i = 0; i < count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            (a[i], b[i]) = dataset.LoadSample(epoch, first + i);
        }

        return new UnpairedBatch(Stack(a), Stack(b), new DatasetPosition(epoch, first + count));
    }

    public static ImageBatch Stack(IReadOnlyList<ImageBatch> items)
    {
        ImageBatch head = items[0];
        if (items.Count == 1)
        {
            return head;
        }

        int n = items.Sum(x => x.Count);
        int size = head.Channels * head.Height * head.Width;
        var data = new float[n * size];
        var paths = new List<string>(n);
        int offset = 0;
        foreach (ImageBatch item in items)
        {
            if (item.Channels != head.Channels || item.Height != head.Height || item.Width != head.Width)
            {
                throw new InvalidDataException(
                    $"images in one batch differ in size: {head.Paths[0]} is {head.Channels}x{head.Height}x{head.Width}, " +
                    $"{item.Paths[0]} is {item.Channels}x{item.Height}x{item.Width}; with preprocess scale_width or none use batch_size 1");
            }

            item.Data.CopyTo(data, offset);
            offset += item.Data.Length;
            paths.AddRange(item.Paths);
        }

        return new ImageBatch(data, n, head.Channels, head.Height, head.Width, paths);
    }
}
