using CycleGan.Data.Datasets;
using CycleGan.Data.Loading;
using CycleGan.Data.Transforms;

namespace CycleGan.Tests.Data;

public class LoaderTests
{
    [Fact]
    public async Task Cancellation_stops_the_stream_at_the_next_batch()
    {
        using var dir = new TempDirectory();
        var dataset = new UnpairedDataset(DatasetBuilder.Options(DatasetBuilder.Make(dir, 60, 2)));
        var loader = new PrefetchLoader(dataset, new LoaderOptions { Workers = 2, QueueCapacity = 2 });
        using var cts = new CancellationTokenSource();
        int seen = 0;
        var reading = Task.Run(() => Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.ReadEpoch(DatasetPosition.StartOf(1), cts.Token))
            {
                if (++seen == 2)
                {
                    cts.Cancel();
                }
            }
        }));
        // a bound only a hang reaches: the stream ends at the next batch, whatever the machine's speed
        await reading.WaitAsync(TimeSpan.FromMinutes(2)); // throws TimeoutException on a hang
        // no batch was delivered after the cancellation (60 were left)
        Assert.Equal(2, seen);
    }

    [Fact]
    public void A_consumer_that_stops_early_releases_the_workers()
    {
        using var dir = new TempDirectory();
        var dataset = new UnpairedDataset(DatasetBuilder.Options(DatasetBuilder.Make(dir, 30, 2)));
        var loader = new PrefetchLoader(dataset, new LoaderOptions { Workers = 3, QueueCapacity = 2 });
        var first = loader.ReadEpoch(DatasetPosition.StartOf(1)).Take(1).ToList();
        Assert.Single(first);
        // The enumeration's finally joined the workers; a second full read works and sees the same first batch.
        var again = loader.ReadEpoch(DatasetPosition.StartOf(1)).ToList();
        Assert.Equal(30, again.Count);
        Assert.Equal(first[0].A.Data, again[0].A.Data);
    }

    [Fact]
    public void A_worker_failure_reaches_the_consumer_naming_the_file()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 4, 2);
        // A 4x4 image cannot give the 8x8 crop: not a bad file but an unusable configuration, so the run stops.
        TestImages.WriteSolidPng(Path.Combine(root, "trainA", "a02.png"), 4, 4, 1, 2, 3);
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root, serial: true));
        var loader = new PrefetchLoader(dataset, new LoaderOptions { Workers = 2 });
        var received = new List<UnpairedBatch>();
        var ex = Assert.Throws<DataLoadException>(() =>
        {
            foreach (var batch in loader.ReadEpoch(DatasetPosition.StartOf(1)))
            {
                received.Add(batch);
            }
        });
        Assert.Equal(Path.Combine(root, "trainA", "a02.png"), ex.Path);
        Assert.Contains("a02.png", ex.Message);
        Assert.Contains("smaller than crop_size 8", ex.Message);
        Assert.Equal(2, received.Count); // the batches before the failing one arrived in order
    }

    [Fact]
    public void Mixed_sizes_in_one_batch_are_an_error_that_suggests_batch_size_1()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 1, 2);
        TestImages.WriteSolidPng(Path.Combine(root, "trainA", "a01.png"), 16, 8, 1, 2, 3);
        var options = DatasetBuilder.Options(root, serial: true) with { Transform = new TransformOptions { Preprocess = PreprocessMode.None } };
        var loader = new PrefetchLoader(new UnpairedDataset(options), new LoaderOptions { BatchSize = 2 });
        var ex = Assert.Throws<InvalidDataException>(() => loader.ReadEpoch(DatasetPosition.StartOf(0)).ToList());
        Assert.Contains("batch_size 1", ex.Message);
        Assert.Contains("a01.png", ex.Message);
    }
}
