using CycleGan.Data.Datasets;
using CycleGan.Data.Loading;

namespace CycleGan.Tests.Data;

public class SamplingTests
{
    private static List<UnpairedBatch> ReadEpoch(UnpairedDataset dataset, int epoch, int batchSize = 1, int workers = 2, DatasetPosition? from = null) =>
        new PrefetchLoader(dataset, new LoaderOptions { BatchSize = batchSize, Workers = workers, QueueCapacity = 3 })
            .ReadEpoch(from ?? DatasetPosition.StartOf(epoch)).ToList();

    private static string Names(IEnumerable<UnpairedBatch> batches) =>
        string.Join(" ", batches.SelectMany(b => b.A.Paths.Zip(b.B.Paths, (a, x) => Path.GetFileNameWithoutExtension(a) + "/" + Path.GetFileNameWithoutExtension(x))));

    private static void AssertSameBatches(IReadOnlyList<UnpairedBatch> expected, IReadOnlyList<UnpairedBatch> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].A.Paths, actual[i].A.Paths);
            Assert.Equal(expected[i].B.Paths, actual[i].B.Paths);
            Assert.Equal(expected[i].A.Data, actual[i].A.Data);
            Assert.Equal(expected[i].B.Data, actual[i].B.Data);
            Assert.Equal(expected[i].Next, actual[i].Next);
        }
    }

    [Fact]
    public void Epoch_length_is_the_larger_domain_and_every_A_appears_in_turn()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 3, 7);
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root));
        Assert.Equal(7, dataset.Length);
        var batches = ReadEpoch(dataset, 1);
        Assert.Equal(7, batches.Count);
        // Sample i takes A[i mod 3]: over 7 samples a00 and a01 come 3 and 2 times or so, and each A file at least twice.
        var countsA = batches.GroupBy(b => Path.GetFileName(b.A.Paths[0])).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["a00.png", "a01.png", "a02.png"], countsA.Keys.Order());
        Assert.Equal(7, countsA.Values.Sum());
        Assert.All(countsA.Values, c => Assert.InRange(c, 2, 3));
        Assert.Equal(new DatasetPosition(1, 7), batches[^1].Next);
    }

    [Fact]
    public void Batches_are_NCHW_with_a_short_last_batch()
    {
        using var dir = new TempDirectory();
        var dataset = new UnpairedDataset(DatasetBuilder.Options(DatasetBuilder.Make(dir, 5, 2)));
        var batches = ReadEpoch(dataset, 0, batchSize: 2);
        Assert.Equal([2, 2, 1], batches.Select(b => b.A.Count));
        Assert.Equal([2L, 3, 8, 8], batches[0].A.Shape);
        Assert.Equal(2 * 3 * 8 * 8, batches[0].A.Data.Length);
        Assert.Equal(2, batches[0].B.Paths.Count);
        // Red is constant per file: the first plane of image 1 in batch 0 holds that file's red.
        var first = batches[0];
        int secondImageRed = 1 * 3 * 64;
        string expectedName = Path.GetFileName(first.A.Paths[1]);
        int index = int.Parse(expectedName[1..3]);
        Assert.Equal(5 * index / 127.5f - 1, first.A.Data[secondImageRed], 1e-6f);
    }

    [Fact]
    public void Channel_counts_are_per_domain()
    {
        using var dir = new TempDirectory();
        var options = DatasetBuilder.Options(DatasetBuilder.Make(dir, 2, 2)) with { ChannelsA = 1, ChannelsB = 3 };
        var batch = ReadEpoch(new UnpairedDataset(options), 0)[0];
        Assert.Equal([1L, 1, 8, 8], batch.A.Shape);
        Assert.Equal([1L, 3, 8, 8], batch.B.Shape);
        Assert.Throws<ArgumentException>(() => new UnpairedDataset(options with { ChannelsB = 2 }));
    }

    [Fact]
    public void Same_seed_gives_the_same_batches_whatever_the_worker_count()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 6, 4);
        var one = ReadEpoch(new UnpairedDataset(DatasetBuilder.Options(root, seed: 11)), 3, batchSize: 2, workers: 1);
        var three = ReadEpoch(new UnpairedDataset(DatasetBuilder.Options(root, seed: 11)), 3, batchSize: 2, workers: 3);
        AssertSameBatches(one, three);
        // no worker thread at all: decoded on the consumer's thread, the same stream
        var inline = ReadEpoch(new UnpairedDataset(DatasetBuilder.Options(root, seed: 11)), 3, batchSize: 2, workers: 0);
        AssertSameBatches(one, inline);
        Assert.Equal(one.Select(b => b.Next), inline.Select(b => b.Next));
    }

    [Fact]
    public void Different_seeds_give_different_orders_and_crops()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 8, 8);
        var a = ReadEpoch(new UnpairedDataset(DatasetBuilder.Options(root, seed: 1)), 1);
        var b = ReadEpoch(new UnpairedDataset(DatasetBuilder.Options(root, seed: 2)), 1);
        Assert.NotEqual(Names(a), Names(b));
    }

    [Fact]
    public void Each_epoch_is_reshuffled_and_still_visits_every_A_once()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 10, 3);
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root));
        var orders = Enumerable.Range(1, 3).Select(e => ReadEpoch(dataset, e).Select(b => Path.GetFileName(b.A.Paths[0])).ToList()).ToList();
        foreach (var order in orders)
        {
            Assert.Equal(dataset.FilesA.Select(Path.GetFileName), order.Order());
        }

        Assert.Equal(3, orders.Select(o => string.Join(",", o)).Distinct().Count());
        Assert.NotEqual(dataset.FilesA.Select(Path.GetFileName), orders[0]); // shuffled, not in file order
    }

    [Fact]
    public void Serial_batches_keep_A_and_B_in_file_order()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 5, 3);
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root, serial: true));
        foreach (int epoch in new[] { 1, 2 })
        {
            Assert.Equal("a00/b00 a01/b01 a02/b02 a03/b00 a04/b01", Names(ReadEpoch(dataset, epoch)));
        }
    }

    [Fact]
    public void Random_B_covers_the_domain()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 40, 4);
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root));
        var picks = Enumerable.Range(0, 40).Select(i => dataset.PairAt(1, i).IndexB).ToList();
        Assert.Equal([0, 1, 2, 3], picks.Distinct().Order());
    }

    [Fact]
    public void A_position_saved_mid_epoch_restores_the_rest_of_the_stream()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 7, 5);
        var full = ReadEpoch(new UnpairedDataset(DatasetBuilder.Options(root, seed: 99)), 4, batchSize: 2);
        DatasetPosition saved = full[1].Next;
        Assert.Equal(new DatasetPosition(4, 4), saved);

        string json = System.Text.Json.JsonSerializer.Serialize(saved);
        var restored = System.Text.Json.JsonSerializer.Deserialize<DatasetPosition>(json)!;
        var rest = ReadEpoch(new UnpairedDataset(DatasetBuilder.Options(root, seed: 99)), 4, batchSize: 2, workers: 3, from: restored);
        AssertSameBatches(full.Skip(2).ToList(), rest);

        var atEnd = ReadEpoch(new UnpairedDataset(DatasetBuilder.Options(root, seed: 99)), 4, from: full[^1].Next);
        Assert.Empty(atEnd);
    }

    [Fact]
    public void A_position_outside_the_epoch_is_refused()
    {
        using var dir = new TempDirectory();
        var dataset = new UnpairedDataset(DatasetBuilder.Options(DatasetBuilder.Make(dir, 3, 3)));
        var loader = new PrefetchLoader(dataset, new LoaderOptions());
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.ReadEpoch(new DatasetPosition(1, 4)));
    }
}
