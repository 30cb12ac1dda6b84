using System.CommandLine;
using System.Globalization;
using CycleGan.App.Devices;
using CycleGan.App.Export;
using CycleGan.App.Generators;
using CycleGan.App.Training;
using Serilog;
using CycleGan.App.Runs;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan export`: a trained model as the reference's .pth files, safetensors, or ONNX models.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<string?>("--run") { Description = "Run folder (default: the newest run in --runs-dir with a checkpoint)" };
        var epoch = new Option<string?>("--epoch") { Description = "With a run: epoch N's checkpoint, or 'best' (the best-scoring epoch, see output.eval_freq), instead of the latest" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A checkpoint file (.ckpt) instead of a run" };
        var runsDir = new Option<string>("--runs-dir") { Description = "Where runs are looked for", DefaultValueFactory = _ => "runs" };
        var format = new Option<string>("--format")
        {
            Description = "pth (the reference's latest_net_G_A.pth ... files), safetensors, or onnx (G_A.onnx, G_B.onnx)",
            Required = true,
        };
        var output = new Option<string>("--output") { Description = "Folder to write into", Required = true };
        var direction = new Option<string>("--direction") { Description = "AtoB (G_A), BtoA (G_B) or both (with weights: the discriminators too)", DefaultValueFactory = _ => "both" };
        var opset = new Option<int>("--opset") { Description = $"ONNX operator set ({OnnxExporter.MinimumOpset} to {OnnxExporter.MaximumOpset})", DefaultValueFactory = _ => OnnxExporter.DefaultOpset };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace files that exist" };
        var verify = new Option<bool>("--verify")
        {
            Description = $"Check each file against the network: ONNX Runtime's output within {ExportVerifier.OnnxTolerance:0e0} of TorchSharp's at 3 sizes, batch 1 and 3; weights reloaded give identical outputs",
        };
        var verifySizes = new Option<string?>("--verify-sizes") { Description = "With --verify: sizes HxW,HxW,... instead of the default three" };
        var command = new Command("export", "Export a trained model: the reference's .pth state dicts, safetensors, or ONNX generators.")
        {
            run, epoch, checkpoint, runsDir, format, output, direction, opset, overwrite, verify, verifySizes,
        };
        command.SetAction(parse =>
        {
            string fmt = parse.GetValue(format)!;
            if (!ExportRequest.Formats.Contains(fmt))
            {
                throw new ArgumentException($"--format {fmt} is not known; allowed: {string.Join(", ", ExportRequest.Formats)}");
            }

            string dir = parse.GetValue(direction)!;
            if (!ExportRequest.Directions.Contains(dir))
            {
                throw new ArgumentException($"--direction {dir} is not known; allowed: {string.Join(", ", ExportRequest.Directions)}");
            }

            int op = parse.GetValue(opset); // its range is checked when the command line is parsed (OptionRanges)
            var sizes = parse.GetValue(verifySizes) is { } text ? ParseSizes(text) : null;
            string? runFolder = parse.GetValue(run), file = parse.GetValue(checkpoint);
            if (runFolder is not null && file is not null)
            {
                throw new ArgumentException("--run and --checkpoint each name the model: give one");
            }

            if (file is not null && parse.GetValue(epoch) is { } e)
            {
                throw new ArgumentException($"--epoch {e} chooses a checkpoint of a run: use it with --run (or alone), not with --checkpoint");
            }

            TorchRuntime.Start("cpu");
            using ExportSource source = file is not null
                ? ExportSource.FromCheckpoint(file)
                : ExportSource.FromCheckpoint(new RunDirectory(runFolder ?? GeneratorSource.NewestRun(parse.GetValue(runsDir)!)).CheckpointForEpochOption(parse.GetValue(epoch)));
            int multiple = source.Identity("G_A").SideMultiple;
            if (sizes?.FirstOrDefault(z => z.H % multiple != 0 || z.W % multiple != 0 || z.H < 8 || z.W < 8) is { H: > 0 } bad)
            {
                throw new ArgumentException(
                    $"--verify-sizes {bad.H}x{bad.W}: {source.Config.Model.NetG} needs sides that are multiples of {multiple} (and at least 8); nothing was written");
            }

            var request = new ExportRequest
            {
                Format = fmt, OutputFolder = parse.GetValue(output)!, Direction = dir, Opset = op, Overwrite = parse.GetValue(overwrite),
            };
            Log.Information("Exporting {Networks} of {Source} (epoch {Epoch}, {NetG} ngf {Ngf}, norm {Norm}) as {Format}",
                string.Join(", ", ModelExport.Networks(request)), source.Path, source.Epoch, source.Config.Model.NetG, source.Config.Model.Ngf,
                source.Config.Model.Norm, fmt);
            var files = ModelExport.Run(source, request);
            foreach (ExportedFile f in files)
            {
                Console.WriteLine($"{f.Path}  ({f.Bytes / 1024.0 / 1024.0:0.00} MiB)");
            }

            if (!parse.GetValue(verify))
            {
                return 0;
            }

            var cases = ExportVerifier.Verify(source, files, fmt, sizes);
            Console.WriteLine($"{"file",-40} {"batch",5} {"size",11} {"max abs",10} {"tolerance",9}  result");
            foreach (VerifyCase c in cases)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(c.File),-40} {c.Batch,5} {$"{c.Height}x{c.Width}",11} {c.MaxAbs,10:0.000e0} {c.Tolerance,9:0e0}  {(c.Passed ? "pass" : "FAIL")}"));
            }

            int failed = cases.Count(c => !c.Passed);
            Log.Information("Verify: {Passed}/{Total} cases pass", cases.Count - failed, cases.Count);
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static (int H, int W)[] ParseSizes(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s =>
        {
            string[] parts = s.Split('x');
            return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int h) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int w) && h > 0 && w > 0
                ? (h, w)
                : throw new ArgumentException($"--verify-sizes: '{s}' is not HxW (e.g. 64x96)");
        })
        .ToArray();
}
