using System.CommandLine;
using System.Diagnostics;
using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Devices;
using CycleGan.App.Layers;
using CycleGan.App.Inference;
using Serilog;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan translate FILES...`: applies a trained generator to images.</summary>
public static class TranslateCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Image files, folders (their images) or globs such as 'photos/*.jpg'", Arity = ArgumentArity.OneOrMore };
        var model = ModelOptions.Create();
        var direction = new Option<string?>("--direction")
        {
            Description = "AtoB (G_A) or BtoA (G_B); default AtoB, or for an ONNX model the direction it records",
        };
        direction.AcceptOnlyFromAmong([.. Directions.Names]);
        var output = new Option<string?>("--output") { Description = "Output folder (default: the run's translated/ folder, or ./translated)" };
        var size = new Option<int?>("--size") { Description = "Translate at NxN instead of each image's own size" };
        var keepSize = new Option<bool>("--keep-size") { Description = "Keep each image's own size (the default)" };
        var maxPixels = new Option<long>("--max-pixels")
        {
            Description = "Larger images are translated scaled down to this many pixels and scaled back up (bounds memory)",
            DefaultValueFactory = _ => 2048L * 2048,
        };
        var batch = new Option<int>("--batch") { Description = "Images of equal size per forward pass", DefaultValueFactory = _ => 4 };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing output files (inputs are never replaced)" };
        var memoryLimit = new Option<string?>("--memory-limit")
        {
            Description = "Memory a forward pass may take, e.g. 6GB or 500MB (default: the memory available); larger images are translated smaller and scaled back up",
        };
        var engine = new Option<string>("--engine") { Description = "torch (TorchSharp) or onnx (ONNX Runtime on the CPU, with --model)", DefaultValueFactory = _ => "torch" };
        engine.AcceptOnlyFromAmong("torch", "onnx");
        var onnxModel = new Option<string?>("--model") { Description = "With --engine onnx: the exported generator (G_A.onnx, ...)" };
        var command = new Command("translate", "Translate images with a trained generator (default: the newest run's latest checkpoint, A to B).")
        {
            inputs, direction, output, size, keepSize, maxPixels, batch, overwrite, memoryLimit, engine, onnxModel,
        };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            int? side = parse.GetValue(size);
            if (side is not null && parse.GetValue(keepSize))
            {
                throw new ArgumentException("--size and --keep-size contradict each other: choose one");
            }

            long? limit = parse.GetValue(memoryLimit) is { } text ? ParseBytes(text) : null;
            var (files, problems) = InputFiles.Expand(parse.GetValue(inputs)!);
            Direction? asked = Directions.TryParse(parse.GetValue(direction));
            var device = TorchRuntime.Start(parse.GetValue(model.Device), parse.GetValue(model.KeepOneDnn));
            using TrainedGenerators trained = parse.GetValue(engine) == "onnx"
                ? LoadOnnx(parse, model, parse.GetValue(onnxModel), asked)
                : parse.GetValue(onnxModel) is { } given
                    ? throw new ArgumentException($"--model {given} names an ONNX model: pass --engine onnx to run it")
                    : model.Load(parse, asked ?? Direction.AtoB, device);
            LoadedGenerator generator = trained[trained.Directions.Count() == 1 ? trained.Directions.Single() : asked ?? Direction.AtoB];
            string outputFolder = parse.GetValue(output)
                                  ?? (trained.Origin.RunFolder is { } run ? Path.Combine(run, "translated") : Path.GetFullPath("translated"));
            if (OutputFolder.Conflict(parse.GetValue(inputs)!, outputFolder) is { } conflict)
            {
                throw new ArgumentException(conflict);
            }

            foreach (string p in problems)
            {
                Log.Error("{Problem}", p);
            }

            if (files.Count == 0)
            {
                Log.Error("nothing to translate");
                return CliApp.BadInput;
            }

            GeneratorIdentity identity = generator.Identity;
            Log.Information("Translating {Count} image(s) {Direction} with {Generator} of {Source}{Epoch} ({In}->{Out} channels{Gray}) into {Output}",
                files.Count, identity.Direction.ToString(), identity.Name, trained.Origin.Source, trained.Origin.Epoch is not null ? $" ({EpochLabel.Of(trained.Origin.Epoch)})" : string.Empty, identity.InputChannels,
                identity.OutputChannels, identity.InputChannels == 1 ? "; colour inputs are converted to gray" : string.Empty, outputFolder);
            var watch = Stopwatch.StartNew();
            int step = Math.Max(1, files.Count / 10);
            var translator = new Translator(generator, device, new TranslateOptions
            {
                OutputFolder = outputFolder, Size = side, MaxPixels = parse.GetValue(maxPixels),
                Batch = parse.GetValue(batch), Overwrite = parse.GetValue(overwrite), MemoryLimit = limit,
            })
            {
                Progress = (done, total) =>
                {
                    if (total > 1 && (done % step == 0 || done == total))
                    {
                        Log.Information("{Done}/{Total} images ({Rate:0.0}/s)", done, total, done / Math.Max(1e-9, watch.Elapsed.TotalSeconds));
                    }
                },
            };
            var outcomes = translator.Run(files);
            if (translator.Memory is { } memory)
            {
                Log.Information("Memory: a forward pass takes about {PerMp} per megapixel (+{Fixed}), measured; {Available} available now",
                    AvailableMemory.Format((long)(memory.PerPixel * 1_000_000)), AvailableMemory.Format(memory.Fixed), AvailableMemory.Format(AvailableMemory.Bytes()));
            }

            foreach (var o in outcomes.Where(o => o.Note is not null))
            {
                Log.Warning("{Input}: {Note}", o.Input, o.Note);
            }

            foreach (var o in outcomes.Where(o => o.Error is not null))
            {
                Log.Error("{Input}: {Error}", o.Input, o.Error);
            }

            int written = outcomes.Count(o => o.Output is not null);
            if (files.Count == 1 && written == 1)
            {
                Console.WriteLine(outcomes[0].Output);
            }

            int failed = outcomes.Count - written + problems.Count;
            Log.Information("Wrote {Written} image(s) to {Output}; {Failed} failed; {Seconds:0.00} s", written, outputFolder, failed, watch.Elapsed.TotalSeconds);
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>"6GB", "500MB", "1.5 GB" or a plain number of megabytes, as bytes.</summary>
    public static long ParseBytes(string text)
    {
        string t = text.Trim().ToUpperInvariant().Replace(" ", string.Empty, StringComparison.Ordinal);
        (string number, long unit) = t.EndsWith("GB", StringComparison.Ordinal) ? (t[..^2], 1L << 30)
            : t.EndsWith("MB", StringComparison.Ordinal) ? (t[..^2], 1L << 20)
            : (t, 1L << 20);
        return double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) && value > 0 && value < 1e7
            ? (long)(value * unit)
            : throw new ArgumentException($"--memory-limit '{text}' is not a size; use e.g. 6GB or 500MB");
    }

    private static TrainedGenerators LoadOnnx(ParseResult parse, ModelOptions model, string? path, Direction? direction)
    {
        if (path is null)
        {
            throw new ArgumentException("--engine onnx needs --model FILE.onnx (made by cyclegan export --format onnx)");
        }

        if (parse.GetValue(model.Precision) != "fp32")
        {
            throw new ArgumentException($"--precision {parse.GetValue(model.Precision)} sets the TorchSharp engine's convolutions; --engine onnx runs ONNX Runtime's");
        }

        foreach (Option o in new Option[] { model.Run, model.Checkpoint, model.Weights, model.Config, model.Epoch })
        {
            if (parse.GetResult(o) is { Implicit: false })
            {
                throw new ArgumentException($"{o.Name} chooses a TorchSharp model; with --engine onnx the model is --model {path}");
            }
        }

        return GeneratorSource.FromOnnx(path, direction);
    }
}

/// <summary>The options that choose a trained model, shared by translate, test and evaluate.</summary>
public sealed class ModelOptions
{
    public Option<string?> Run { get; } = new("--run") { Description = "Run folder (default: the newest run in --runs-dir with a checkpoint)" };

    public Option<string?> Checkpoint { get; } = new("--checkpoint") { Description = "A checkpoint file (.ckpt) instead of a run" };

    public Option<string?> Weights { get; } = new("--weights") { Description = "A PyTorch reference generator's .pth weights (one direction; see --config)" };

    public Option<string?> Config { get; } = new("--config") { Description = "With --weights: the config whose model settings built them (default: the reference's)" };

    public Option<string?> Epoch { get; } = new("--epoch")
    {
        Description = "With a run: use epoch N's checkpoint instead of the latest, or 'best' for the epoch that FID/KID during training (output.eval_freq) scored best",
        HelpName = "N|best",
    };

    public Option<string> RunsDir { get; } = new("--runs-dir") { Description = "Where runs are looked for", DefaultValueFactory = _ => "runs" };

    public Option<string> Device { get; } = CommonOptions.Device();

    public Option<bool> KeepOneDnn { get; } = CommonOptions.KeepOneDnn();

    /// <summary>False for commands that need both generators (test, evaluate): --weights (one generator) and its
    /// --config are then not offered at all, rather than listed in --help and refused.</summary>
    public bool WithWeights { get; private init; } = true;

    public Option<string> Precision { get; } = new Option<string>("--precision")
    {
        Description = "fp32, or bf16: convolutions in bfloat16 (CPUs with avx512_bf16 or amx_bf16, and CUDA), the rest in float32",
        DefaultValueFactory = _ => "fp32",
    }.AcceptOnlyFromAmong(ConvolutionPrecisions.Names);

    public static ModelOptions Create(bool withWeights = true) => new() { WithWeights = withWeights };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Run, Checkpoint, Weights, Config, Epoch, RunsDir, Device, KeepOneDnn, Precision })
        {
            if (WithWeights || (o != Weights && o != Config))
            {
                command.Add(o);
            }
        }
    }

    /// <summary>The model the options name, its convolutions in the --precision asked for (refused where the device lacks it).</summary>
    public TrainedGenerators Load(ParseResult parse, Direction direction, TorchSharp.torch.Device device, bool weightsAllowed = true)
    {
        var precision = ConvolutionPrecisions.Parse(parse.GetValue(Precision)!);
        Bf16Support.Require(precision, device, "--precision");
        TrainedGenerators trained = LoadFp32(parse, direction, device, weightsAllowed);
        foreach (Direction d in trained.Directions)
        {
            trained[d].Network.WithConvolutionPrecision(precision);
        }

        return trained;
    }

    private TrainedGenerators LoadFp32(ParseResult parse, Direction direction, TorchSharp.torch.Device device, bool weightsAllowed)
    {
        string? run = parse.GetValue(Run), checkpoint = parse.GetValue(Checkpoint), weights = WithWeights ? parse.GetValue(Weights) : null;
        if (new[] { run, checkpoint, weights }.Count(s => s is not null) > 1)
        {
            throw new ArgumentException("--run, --checkpoint and --weights each name the model: give one");
        }

        if (parse.GetValue(Epoch) is { } epoch && (checkpoint ?? weights) is not null)
        {
            throw new ArgumentException($"--epoch {epoch} chooses a checkpoint of a run: use it with --run (or alone), not with --checkpoint or --weights");
        }

        if (weights is not null)
        {
            if (!weightsAllowed)
            {
                throw new ArgumentException("--weights holds one generator; this command needs both: use --run or --checkpoint");
            }

            CycleGanConfig config = parse.GetValue(Config) is { } c ? ConfigLoader.Load(c) : new CycleGanConfig();
            return GeneratorSource.FromWeights(weights, config, direction, device);
        }

        if (checkpoint is not null)
        {
            return GeneratorSource.FromCheckpoint(checkpoint, device);
        }

        return GeneratorSource.FromRun(run ?? GeneratorSource.NewestRun(parse.GetValue(RunsDir)!), parse.GetValue(Epoch), device);
    }
}
