using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CycleGan.App.Devices;
using CycleGan.App.Config;
using CycleGan.App.Data;
using CycleGan.App.Layers;
using CycleGan.App.Training;
using CycleGan.Data.Makers;
using CycleGan.App.Runs;

namespace CycleGan.Bench;

/// <summary>
/// `cyclegan bench-train` (hidden; scripts/bench.sh runs it). In one process, so the ratios hold on a noisy machine:
/// seconds per iteration of the trainer beside a bare loop of the same CycleGAN step on tensors loaded beforehand;
/// the step's arithmetic rate beside libtorch's own matrix-multiply and 3x3-convolution rates; peak resident memory;
/// and, at the first size, the resident memory over a long run after warm-up. Writes JSON with --json.
/// </summary>
public static class BenchTrainCommand
{
    public static Command Create()
    {
        var sizes = new Option<string>("--sizes")
        {
            Description = "SIZE:NGF[:ITERATIONS] per configuration (ITERATIONS overrides --iterations there)",
            DefaultValueFactory = _ => "64:16:20,128:64:3",
        };
        var iterations = new Option<int>("--iterations") { Description = "Timed iterations per loop and round", DefaultValueFactory = _ => 10 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds; the fastest of each loop counts", DefaultValueFactory = _ => 3 };
        var memory = new Option<int>("--memory-iterations") { Description = "Iterations of the memory run at the first size (0: skip)", DefaultValueFactory = _ => 1000 };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file" };
        var threads = new Option<int>("--num-threads") { Description = "The trainer's data.num_threads (0: decode on the training thread)", DefaultValueFactory = _ => 1 };
        var precisions = new Option<string>("--precisions")
        {
            Description = "train.precision values whose bare loops alternate within each round (e.g. fp32,bf16); the trainer loop runs the first",
            DefaultValueFactory = _ => "fp32",
        };
        var bareOnly = new Option<bool>("--bare-only") { Description = "Time only the bare loops (no trainer loop, no memory run)" };
        var warmup = new Option<int>("--warmup") { Description = "Untimed iterations before each timed loop (the first checks the convolutions)", DefaultValueFactory = _ => 3 };
        var command = new Command("bench-train", "Benchmark the trainer against a bare loop, the machine's ceiling and memory.")
        {
            sizes, iterations, rounds, memory, json, threads, precisions, bareOnly, warmup,
        };
        command.SetAction(parse =>
        {
            string[] chosen = parse.GetValue(precisions)!.Split(',', StringSplitOptions.RemoveEmptyEntries);
            Array.ForEach(chosen, p => ConvolutionPrecisions.Parse(p));
            var device = TorchRuntime.Start("cpu");
            Array.ForEach(chosen, p => CycleGan.App.Devices.Bf16Support.Require(ConvolutionPrecisions.Parse(p), device, "--precisions"));
            bool bare = parse.GetValue(bareOnly);
            return Run(parse.GetValue(sizes)!, Math.Max(1, parse.GetValue(iterations)), Math.Max(1, parse.GetValue(rounds)),
                bare ? 0 : Math.Max(0, parse.GetValue(memory)), parse.GetValue(json), Math.Max(0, parse.GetValue(threads)), device, chosen, bare, Math.Max(1, parse.GetValue(warmup)));
        });
        return command;
    }

    private static int Run(string sizes, int iterations, int rounds, int memoryIterations, string? json, int numThreads, Device device, string[] precisions, bool bareOnly, int warmup)
    {
        var results = new Dictionary<string, object>
        {
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["cores"] = Environment.ProcessorCount,
            ["libtorch_threads"] = torch.get_num_threads(),
        };
        var ceiling = Ceiling(device);
        results["matmul_gflops"] = ceiling.Matmul;
        results["conv3x3_gflops"] = ceiling.Convs.ToDictionary(c => c.Shape, c => c.Gflops);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, libtorch {torch.get_num_threads()} threads; " +
                          $"float32 matmul 2048^3 {ceiling.Matmul:F1} GFLOP/s; 3x3 convolution forward " +
                          string.Join(", ", ceiling.Convs.Select(c => $"{c.Shape} {c.Gflops:F1}")) + " GFLOP/s");
        var perSize = new List<Dictionary<string, object>>();
        bool first = true;
        foreach (string pair in sizes.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split(':');
            int side = int.Parse(parts[0], CultureInfo.InvariantCulture), ngf = int.Parse(parts[1], CultureInfo.InvariantCulture);
            int n = parts.Length > 2 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : iterations;
            perSize.Add(OneSize(side, ngf, n, rounds, first ? memoryIterations : 0, numThreads, device, precisions, bareOnly, warmup));
            first = false;
        }

        results["sizes"] = perSize;
        if (json is not null)
        {
            File.WriteAllText(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    private static Dictionary<string, object> OneSize(int side, int ngf, int iterations, int rounds, int memoryIterations, int numThreads, Device device,
        string[] precisions, bool bareOnly, int warmup)
    {
        string root = Path.Combine(Path.GetTempPath(), "cyclegan-bench-train-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            int images = warmup + iterations + 2; // no epoch end (sample sheet, checkpoint) inside the timed window
            SynthDatasetMaker.Make(new SynthOptions { Output = Path.Combine(root, "data"), Size = side, Count = images, TestCount = 1 });
            CycleGanConfig config = ConfigLoader.Parse("{}", "bench", [
                $"data.dataroot={Path.Combine(root, "data")}", $"data.load_size={side}", $"data.crop_size={side}", $"data.num_threads={numThreads}",
                $"model.ngf={ngf}", $"model.ndf={ngf}", "train.n_epochs=1000", "train.n_epochs_decay=0",
                $"output.runs_dir={Path.Combine(root, "runs")}", "output.display_freq=100000", "output.print_freq=100000",
                "output.save_latest_freq=100000", "output.save_epoch_freq=1000", $"train.precision={precisions[0]}",
            ]);
            double flops = StepFlops(config, side, device);
            Console.WriteLine($"\n{side}x{side}, ngf {ngf} (ResNet-9 G, 3-layer PatchGAN D, batch 1): {flops / 1e9:F2} GFLOP per iteration (estimated)");

            double bare = double.MaxValue, trainer = double.MaxValue;
            var others = precisions.Skip(1).ToDictionary(p => p, _ => double.MaxValue);
            for (int round = 0; round < rounds; round++)
            {
                bare = Math.Min(bare, BareLoop(config, device, warmup, iterations));
                foreach (string p in others.Keys.ToList())
                {
                    others[p] = Math.Min(others[p], BareLoop(config with { Train = config.Train with { Precision = p } }, device, warmup, iterations));
                }

                trainer = bareOnly ? double.NaN : Math.Min(trainer, TrainerLoop(config, device, warmup, iterations, $"r{round}", null));
                Console.WriteLine($"  round {round + 1}: bare {precisions[0]} {bare:F3} s/it" +
                                  string.Concat(others.Select(o => $", bare {o.Key} {o.Value:F3} s/it")) + $", trainer {trainer:F3} s/it (fastest so far)");
            }

            long peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var result = new Dictionary<string, object>
            {
                ["size"] = side, ["ngf"] = ngf, ["gflop_per_iteration"] = flops / 1e9,
                ["bare_seconds_per_iteration"] = bare, ["trainer_seconds_per_iteration"] = trainer,
                ["trainer_overhead"] = trainer / bare - 1, ["step_gflops"] = flops / bare / 1e9,
                ["peak_resident_mb"] = peak >> 20, ["precision"] = precisions[0],
            };
            if (bareOnly)
            {
                result.Remove("trainer_seconds_per_iteration");
                result.Remove("trainer_overhead");
            }

            foreach (var (p, seconds) in others)
            {
                result[$"bare_seconds_per_iteration_{p}"] = seconds;
                Console.WriteLine($"  bare loop {p} {seconds:F3} s/it: {seconds / bare:F3}x {precisions[0]}'s");
            }

            Console.WriteLine($"  bare loop {bare:F3} s/it, trainer {trainer:F3} s/it: overhead {(trainer / bare - 1) * 100:F1}% (target 3% or less); " +
                              $"step {flops / bare / 1e9:F1} GFLOP/s; peak resident {peak >> 20} MB");
            if (memoryIterations > 0)
            {
                var samples = new List<(long Iteration, long Rss)>();
                TrainerLoop(config, device, 0, memoryIterations + 50, "memory", samples);
                var after = samples.Where(s => s.Iteration > 50).ToList();
                double start = Median(after.Take(5).Select(s => (double)s.Rss)), end = Median(after.TakeLast(5).Select(s => (double)s.Rss));
                result["memory_iterations"] = memoryIterations;
                result["memory_samples_mb"] = samples.Select(s => new[] { s.Iteration, s.Rss >> 20 }).ToList();
                result["memory_growth"] = end / start - 1;
                Console.WriteLine($"  resident memory over {memoryIterations} iterations after 50 of warm-up (sampled every 50; medians of the first " +
                                  $"and last 5 samples): {start / (1 << 20):F0} MB -> {end / (1 << 20):F0} MB, growth {(end / start - 1) * 100:F2}% (target under 1%)");
            }

            return result;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The CycleGAN step on batches loaded beforehand: no loader, no logging, no checkpoints.</summary>
    private static double BareLoop(CycleGanConfig config, Device device, int warmup, int iterations)
    {
        torch.manual_seed(config.Seed);
        using var model = new CycleGanModel(config, device, new SeededRandom(1));
        model.Train();
        var set = TrainingData.OpenDataset(config, config.Data.DataRoot, "train", _ => { });
        var batches = Enumerable.Range(0, warmup + iterations).Select(i =>
        {
            var (a, b) = set.LoadSample(1, i % set.Length);
            return (BatchTensors.ToTensor(a, device).DetachFromDisposeScope(), BatchTensors.ToTensor(b, device).DetachFromDisposeScope());
        }).ToList();
        var clock = new Stopwatch();
        for (int i = 0; i < batches.Count; i++)
        {
            if (i == warmup)
            {
                clock.Start();
            }

            using var scope = torch.NewDisposeScope();
            model.Step(batches[i].Item1, batches[i].Item2);
        }

        batches.ForEach(b => { b.Item1.Dispose(); b.Item2.Dispose(); });
        return clock.Elapsed.TotalSeconds / iterations;
    }

    /// <summary>The trainer itself, timed between the end of iteration <paramref name="warmup"/> and the last.</summary>
    private static double TrainerLoop(CycleGanConfig config, Device device, int warmup, int iterations, string name, List<(long, long)>? memory)
    {
        using var stop = new CancellationTokenSource();
        var clock = new Stopwatch();
        var run = new RunDirectory(Path.Combine(config.Output.RunsDir, name));
        run.CreateForNewRun(force: true);
        var trainer = new Trainer(new TrainerOptions
        {
            Config = config with { Name = name, Output = config.Output with { TensorBoard = false } },
            Run = run,
            Device = device,
            Stop = stop.Token,
            AfterIteration = s =>
            {
                if (s.Iteration == warmup)
                {
                    clock.Start();
                }

                if (memory is not null && s.Iteration % 50 == 0)
                {
                    memory.Add((s.Iteration, Environment.WorkingSet));
                }

                if (s.Iteration == warmup + iterations)
                {
                    clock.Stop();
                    stop.Cancel();
                }
            },
        });
        var previous = Serilog.Log.Logger;
        Serilog.Log.Logger = Serilog.Core.Logger.None;
        try
        {
            trainer.Run();
        }
        finally
        {
            Serilog.Log.Logger = previous;
        }

        return clock.Elapsed.TotalSeconds / iterations;
    }

    /// <summary>
    /// Floating-point operations of one iteration, from the convolutions' multiply-adds (2 FLOPs each), counted on a
    /// forward pass of each network: a generator runs 3 times (translation, reconstruction, identity) and its backward
    /// costs about twice its forward; a discriminator runs 3 times, its backward in the generators' step computes
    /// input gradients only (1x), in its own step input and weight gradients (2x).
    /// </summary>
    private static double StepFlops(CycleGanConfig config, int side, Device device)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var model = new CycleGanModel(config, device, new SeededRandom(1));
        var x = torch.zeros(1, 3, side, side, device: device);
        double g = ConvFlops(model.GA, x), d = ConvFlops(model.DA, x);
        return 2 * (3 * g * 3) + 2 * (d * 2 + 2 * d * 3);
    }

    private static double ConvFlops(nn.Module<Tensor, Tensor> net, Tensor x)
    {
        double total = 0;
        var removers = new List<Action>();
        foreach (var (_, module) in net.named_modules())
        {
            if (module is Conv2d conv)
            {
                removers.Add(conv.register_forward_hook((m, input, output) =>
                {
                    total += 2.0 * output.numel() * (conv.InChannels / conv.Groups) * conv.KernelSize.H * conv.KernelSize.W;
                    return output;
                }).remove);
            }
            else if (module is ConvTranspose2d transposed)
            {
                removers.Add(transposed.register_forward_hook((m, input, output) =>
                {
                    total += 2.0 * input.numel() * (transposed.OutChannels / transposed.Groups) * transposed.KernelSize.H * transposed.KernelSize.W;
                    return output;
                }).remove);
            }
        }

        net.call(x);
        removers.ForEach(remove => remove());
        return total;
    }

    /// <summary>libtorch's own rates on this machine: a 2048^3 float32 matrix multiply and a 3x3 convolution.</summary>
    private static (double Matmul, List<(string Shape, double Gflops)> Convs) Ceiling(Device device)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var a = torch.rand(2048, 2048, device: device);
        var b = torch.rand(2048, 2048, device: device);
        a.matmul(b);
        double matmul = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            matmul = Math.Min(matmul, clock.Elapsed.TotalSeconds);
        }

        // 3x3 convolutions at the shapes the ResNet generators spend their time in (stride 1, padding 1, batch 1)
        var convs = new List<(string Shape, double Gflops)>();
        foreach (var (channels, side) in new[] { (64, 128), (64, 16), (256, 32) })
        {
            var x = torch.rand(1, channels, side, side, device: device);
            var w = torch.rand(channels, channels, 3, 3, device: device);
            nn.functional.conv2d(x, w, padding: [1, 1]);
            double conv = double.MaxValue;
            for (int i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                nn.functional.conv2d(x, w, padding: [1, 1]).Dispose();
                conv = Math.Min(conv, clock.Elapsed.TotalSeconds);
            }

            convs.Add(($"{channels}->{channels} at {side}x{side}", 2.0 * channels * side * side * channels * 9 / conv / 1e9));
        }

        return (2.0 * 2048 * 2048 * 2048 / matmul / 1e9, convs);
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
