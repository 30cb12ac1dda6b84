using System.CommandLine;
using System.Diagnostics;
using CycleGan.App.Devices;
using CycleGan.App.Cli;
using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Inference;
using CycleGan.App.Models;
using CycleGan.Data.Makers;
using TorchSharp.PyBridge;

namespace CycleGan.Bench;

/// <summary>
/// `cyclegan bench-translate` (hidden; scripts/bench_translate.sh runs it): the translate pipeline over a folder of
/// 256x256 images beside a bare loop of the same generator's forward on tensors already in memory, in one process,
/// so the ratio is the pipeline's overhead (decoding, batching, writing). It leaves the generator's weights and an
/// image in --keep for the script's single-image command-line timing.
/// </summary>
public static class BenchTranslateCommand
{
    public static Command Create()
    {
        var images = new Option<int>("--images") { Description = "Images in the folder", DefaultValueFactory = _ => 8 };
        var size = new Option<int>("--size") { Description = "Image side", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass (both loops)", DefaultValueFactory = _ => 4 };
        var config = new Option<string>("--config") { Description = "Config whose generator is timed", DefaultValueFactory = _ => "horse2zebra" };
        var keep = new Option<string?>("--keep") { Description = "Folder to leave G.pth and one image in" };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds of both loops; the fastest of each counts", DefaultValueFactory = _ => 3 };
        var device = CommonOptions.Device();
        var command = new Command("bench-translate", "Benchmark translate against a bare forward loop of the same generator.")
        {
            images, size, batch, config, keep, rounds, device,
        };
        command.SetAction(parse => Run(parse.GetValue(images), parse.GetValue(size), parse.GetValue(batch), ConfigLoader.Load(parse.GetValue(config)!),
            parse.GetValue(keep), Math.Max(1, parse.GetValue(rounds)), TorchRuntime.Start(parse.GetValue(device))));
        return command;
    }

    private static int Run(int count, int side, int batch, CycleGanConfig config, string? keep, int rounds, Device device)
    {
        string root = Path.Combine(Path.GetTempPath(), "cyclegan-bench-translate-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            SynthDatasetMaker.Make(new SynthOptions { Output = root, Size = side, Count = count, TestCount = 1 });
            string folder = Path.Combine(root, "trainA");
            string weights = Path.Combine(keep ?? root, "G.pth");
            Directory.CreateDirectory(Path.GetDirectoryName(weights)!);
            torch.manual_seed(1);
            using (var g = NetworkFactory.Generator(config.Model, config.Data.InputNc, config.Data.OutputNc))
            {
                g.save_py(weights);
            }

            using var model = GeneratorSource.FromWeights(weights, config, Direction.AtoB, device);
            var generator = model[Direction.AtoB].Network;
            Console.WriteLine($"bench-translate: {config.Model.NetG} ngf {config.Model.Ngf}, {count} images of {side}x{side}, batch {batch}, " +
                              $"{device.type}, {Environment.ProcessorCount} logical cores, {torch.get_num_threads()} libtorch threads");

            // warm-up: one forward of a full batch (allocator, kernels)
            using (torch.NewDisposeScope())
            using (torch.no_grad())
            {
                generator.call(torch.rand(batch, config.Data.InputNc, side, side, device: device));
            }

            // The bare loop gets the same images, decoded beforehand, in the same batches. The two loops alternate for
            // --rounds rounds and the fastest round of each counts, so a noisy moment does not decide the ratio.
            var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToList();
            var inputs = files.Chunk(batch).Select(chunk => torch.cat(chunk.Select(f => TestSet.Load(f, config.Data.InputNc, device)).ToArray(), 0).DetachFromDisposeScope()).ToList();
            string output = Path.Combine(root, "out");
            var translator = new Translator(model[Direction.AtoB], device, new TranslateOptions { OutputFolder = output, Batch = batch, Overwrite = true });
            double bare = double.MaxValue, pipeline = double.MaxValue;
            for (int round = 0; round < rounds; round++)
            {
                using (torch.no_grad())
                {
                    // one dispose scope per batch, as translate has: the generator's intermediate results are freed
                    // after each batch and their memory reused (one scope around the loop would keep them all)
                    var clock = Stopwatch.StartNew();
                    foreach (var x in inputs)
                    {
                        using var scope = torch.NewDisposeScope();
                        generator.call(x).cpu();
                    }

                    bare = Math.Min(bare, clock.Elapsed.TotalSeconds);
                }

                var watch = Stopwatch.StartNew();
                var outcomes = translator.Run(files);
                pipeline = Math.Min(pipeline, watch.Elapsed.TotalSeconds);
                if (outcomes.Any(o => o.Error is not null))
                {
                    throw new InvalidOperationException("translate failed: " + outcomes.First(o => o.Error is not null).Error);
                }

                Console.WriteLine($"round {round + 1}: bare {bare:F2} s, translate {pipeline:F2} s (fastest so far)");
            }

            inputs.ForEach(t => t.Dispose());
            Console.WriteLine($"bare forward loop (same images, decoded beforehand): {count / bare,8:F3} images/s  ({bare:F2} s)");
            Console.WriteLine($"translate (decode, forward, encode, write PNG):      {count / pipeline,8:F3} images/s  ({pipeline:F2} s)");
            Console.WriteLine($"ratio translate time / bare time: {pipeline / bare:F3} (target 1.05 or below)");
            if (keep is not null)
            {
                File.Copy(files[0], Path.Combine(keep, "image.png"), overwrite: true);
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
