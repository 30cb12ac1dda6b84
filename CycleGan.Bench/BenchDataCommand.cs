using System.CommandLine;
using System.Diagnostics;
using CycleGan.App.Cli;
using CycleGan.App.Data;
using CycleGan.App.Devices;
using CycleGan.App.Models;
using CycleGan.Data.Datasets;
using CycleGan.Data.Imaging;
using CycleGan.Data.Loading;
using CycleGan.Data.Makers;
using CycleGan.Data.Transforms;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Bench;

/// <summary>
/// `cyclegan bench-data` (hidden; scripts/bench_data.sh runs it): can the loader keep training fed? Measures
/// decode+transform of synthetic 400x400 JPEGs to 256 crops, on one thread and through the prefetching loader, beside
/// the trainer's consumption rate, and prints the ratio.
/// </summary>
public static class BenchDataCommand
{
    public static Command Create()
    {
        var images = new Option<int>("--images") { Description = "Synthetic JPEGs per domain", DefaultValueFactory = _ => 48 };
        var workers = new Option<int>("--workers") { Description = "Loader workers (num_threads)", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var iterations = new Option<int>("--iterations") { Description = "Timed forward+backward passes of the generator", DefaultValueFactory = _ => 3 };
        var sheet = new Option<string?>("--sheet") { Description = "Also write a labelled sheet of a few loaded crops to this PNG" };
        var device = CommonOptions.Device();
        var command = new Command("bench-data", "Benchmark the data loader against the trainer's consumption rate.")
        {
            images, workers, iterations, sheet, device,
        };
        command.SetAction(parse => Run(parse.GetValue(images), parse.GetValue(workers), parse.GetValue(iterations),
            parse.GetValue(sheet), TorchRuntime.Start(parse.GetValue(device))));
        return command;
    }

    private static int Run(int count, int workers, int iterations, string? sheetPath, torch.Device device)
    {
        string root = Path.Combine(Path.GetTempPath(), "cyclegan-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.WriteLine($"bench-data: {Environment.ProcessorCount} logical cores; {count} synthetic 400x400 JPEGs per domain in {root}");
            MakeJpegs(root, count);
            var transform = new TransformOptions { Preprocess = PreprocessMode.ResizeAndCrop, LoadSize = 286, CropSize = 256 };
            var dataset = new UnpairedDataset(new UnpairedDatasetOptions { Root = root, Transform = transform, Seed = 1 });

            // One thread, no loader: the cost of one image. A first untimed pass over a few files JIT-compiles the
            // decoder and resampler paths, which would otherwise be charged to the first images.
            var chw = new float[3 * 256 * 256];
            int done = 0;
            void Process(string file)
            {
                using var image = ImageDecoder.LoadRgb(file);
                var random = new SampleRandom((ulong)done);
                ImageTransform.Apply(image, transform, ref random, file);
                PixelConversion.ToNormalizedChw(image, 3, chw);
            }

            foreach (string file in dataset.FilesA.Take(4))
            {
                Process(file);
            }

            var clock = Stopwatch.StartNew();
            foreach (string file in dataset.FilesA.Concat(dataset.FilesB))
            {
                Process(file);
                done++;
            }

            double perWorker = done / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"decode+transform (resize_and_crop 286 -> 256, flip), 1 thread: {perWorker,8:F1} images/s  ({1000 / perWorker:F1} ms/image)");

            // The prefetching loader with N workers, batch 1 (each sample is one A and one B image).
            var loader = new PrefetchLoader(dataset, new LoaderOptions { BatchSize = 1, Workers = workers, QueueCapacity = 2 * workers });
            var collected = new List<UnpairedBatch>();
            clock.Restart();
            int loaded = 0;
            // Two epochs, so the figure rests on a few hundred images rather than a fraction of a second.
            foreach (var batch in loader.ReadEpoch(DatasetPosition.StartOf(0)).Concat(loader.ReadEpoch(DatasetPosition.StartOf(1))))
            {
                loaded += batch.A.Count + batch.B.Count;
                if (collected.Count < 4)
                {
                    collected.Add(batch);
                }
            }

            double withWorkers = loaded / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"prefetching loader, {workers} worker(s):                 {withWorkers,8:F1} images/s");

            if (sheetPath is not null)
            {
                WriteSheet(collected, sheetPath);
                Console.WriteLine($"sheet of loaded crops: {sheetPath}");
            }

            // The consumer: the trainer does not exist yet, so its unit of work, the generator's forward+backward.
            double seconds = TimeGenerator(device, iterations);
            Console.WriteLine($"ResNet-9 generator (ngf 64, instance norm) on {device} at 256x256, forward+backward, batch 1: {seconds:F3} s");
            // Batch 1 consumes one A and one B image per step; a CycleGAN step runs each generator three times (fake,
            // reconstruction, identity) with their backward passes, plus two discriminators: at least 6 such units.
            double upperBound = 2 / seconds, realistic = 2 / (6 * seconds);
            Console.WriteLine($"  trainer consumption if a step cost one generator pass (upper bound): {upperBound,8:F2} images/s");
            Console.WriteLine($"  trainer consumption at ~6 passes per CycleGAN step (estimate):      {realistic,8:F2} images/s");
            Console.WriteLine($"ratio loader / consumption: {withWorkers / upperBound:F1}x against the upper bound, {withWorkers / realistic:F1}x against the estimate " +
                              $"(one worker alone: {perWorker / upperBound:F1}x)");
            Console.WriteLine("note: loader and generator ran one after the other on the same cores; while training, they share them.");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double TimeGenerator(torch.Device device, int iterations)
    {
        torch.manual_seed(1);
        using var net = new ResnetGenerator(3, 3, 64, NormKind.Instance, useDropout: false, nBlocks: 9);
        net.to(device);
        var random = new Random(1);
        float[] pixels = Enumerable.Range(0, 3 * 256 * 256).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var batch = new ImageBatch(pixels, 1, 3, 256, 256, ["noise"]);
        double total = 0;
        for (int i = 0; i <= iterations; i++)
        {
            using var scope = torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var input = BatchTensors.ToTensor(batch, device); // the upload is part of what the trainer pays per step
            var loss = net.call(input).abs().mean();
            loss.backward();
            if (device.type == DeviceType.CUDA)
            {
                torch.cuda.synchronize();
            }

            if (i > 0)
            {
                total += clock.Elapsed.TotalSeconds; // pass 0 warms up allocators and kernels
            }
        }

        return total / Math.Max(1, iterations);
    }

    private static void MakeJpegs(string root, int count)
    {
        foreach (var (domain, stream) in new[] { ("trainA", 1L), ("trainB", 2L) })
        {
            Directory.CreateDirectory(Path.Combine(root, domain));
            for (int i = 0; i < count; i++)
            {
                var random = SampleRandom.For(7, stream, i);
                var shape = SynthShape.Random(ref random);
                using Image<Rgb24> image = shape.Render(400, striped: domain == "trainB");
                // Photographs have texture everywhere; flat synthetic colours would make JPEG decoding unrealistically cheap.
                image.ProcessPixelRows(rows =>
                {
                    var noise = random;
                    for (int y = 0; y < rows.Height; y++)
                    {
                        Span<Rgb24> row = rows.GetRowSpan(y);
                        for (int x = 0; x < row.Length; x++)
                        {
                            int n = noise.Next(41) - 20;
                            row[x] = new Rgb24(Clamp(row[x].R + n), Clamp(row[x].G + n), Clamp(row[x].B + n));
                        }
                    }
                });
                image.SaveAsJpeg(Path.Combine(root, domain, $"{i:D4}.jpg"), new JpegEncoder { Quality = 90 });
            }
        }
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);

    private static void WriteSheet(IReadOnlyList<UnpairedBatch> batches, string path)
    {
        var cells = new List<GridCell>();
        try
        {
            foreach (var batch in batches)
            {
                cells.Add(new GridCell(ImageWriter.ToImage(batch.A, 0), "A " + Path.GetFileName(batch.A.Paths[0])));
                cells.Add(new GridCell(ImageWriter.ToImage(batch.B, 0), "B " + Path.GetFileName(batch.B.Paths[0])));
            }

            using var sheet = ImageGrid.Compose(cells, 4);
            ImageWriter.Save(sheet, path);
        }
        finally
        {
            cells.ForEach(c => c.Image.Dispose());
        }
    }
}
