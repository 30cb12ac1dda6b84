using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CycleGan.App.Devices;
using CycleGan.App.Evaluation;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan fid A B`: FID (and KID) between two folders of images or pytorch-fid statistics files, as
/// `python -m pytorch_fid A B` computes it; `cyclegan fid A --save-stats OUT.npz` writes A's statistics instead.</summary>
public static class FidCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Two folders of images (searched recursively) or pytorch-fid .npz statistics files; one with --save-stats",
            Arity = new ArgumentArity(1, 2),
        };
        var kid = new Option<bool>("--kid") { Description = "Also the KID (mean and standard deviation over subsets); needs folders, not statistics files" };
        var batch = new Option<int>("--batch-size") { Description = "Images per Inception batch (memory only: the features do not depend on it)", DefaultValueFactory = _ => 50 };
        var dims = new Option<int>("--dims") { Description = "Feature dimension: 2048 (the final pool, pytorch-fid's default and the only one implemented)", DefaultValueFactory = _ => FidInception.Dimensions };
        var weights = new Option<string?>("--inception-weights")
        {
            Description = $"The FID Inception weights ({InceptionWeights.FileName}); default: ${InceptionWeights.EnvironmentVariable}",
        };
        var save = new Option<string?>("--save-stats") { Description = "Write the one input's mu and sigma to this .npz (pytorch-fid's --save-stats format) instead of comparing" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var device = CommonOptions.Device();
        var command = new Command("fid", "FID (and KID) between two folders of images or pytorch-fid statistics files, as pytorch-fid computes it; or save a folder's statistics.")
        {
            paths, kid, batch, dims, weights, save, json, device,
        };
        command.SetAction(parse =>
        {
            string[] inputs = parse.GetValue(paths)!;
            string? output = parse.GetValue(save);
            if (parse.GetValue(dims) != FidInception.Dimensions)
            {
                throw new ArgumentException($"--dims {parse.GetValue(dims)} is not implemented: only {FidInception.Dimensions} (the final average pool, which FID is reported on)");
            }

            if (parse.GetValue(batch) < 1)
            {
                throw new ArgumentException($"--batch-size {parse.GetValue(batch)} must be at least 1");
            }

            if (output is null ? inputs.Length != 2 : inputs.Length != 1)
            {
                throw new ArgumentException(output is null
                    ? "fid compares two inputs: give two folders or .npz files (or one with --save-stats OUT.npz)"
                    : "--save-stats writes the statistics of one input: give one folder (or .npz)");
            }

            if (output is not null && !FidStatistics.IsStatisticsFile(output))
            {
                throw new ArgumentException($"--save-stats {output}: the file name must end in .npz (pytorch-fid tells statistics files by that)");
            }

            var torchDevice = TorchRuntime.Start(parse.GetValue(device));
            string? weightsFile = InceptionWeights.Resolve(parse.GetValue(weights));
            using var comparison = new FidComparison(() => InceptionWeights.Load(weightsFile, torchDevice), torchDevice, parse.GetValue(batch));
            if (output is not null)
            {
                var (input, statistics, _) = comparison.Read(inputs[0], keepFeatures: false);
                statistics.Save(output);
                Console.WriteLine($"saved the statistics of {Describe(input)} to {output}");
                return input.Unreadable.Count == 0 ? 0 : 1;
            }

            FidReport report = comparison.Compare(inputs[0], inputs[1], parse.GetValue(kid));
            Console.Write(parse.GetValue(json)
                ? JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, Encoder = Config.PlainJson.Encoder }) + Environment.NewLine
                : Text(report));
            return report.First.Unreadable.Count + report.Second.Unreadable.Count == 0 ? 0 : 1;
        });
        return command;
    }

    public static string Text(FidReport report)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"first:  {Describe(report.First)}");
        w.WriteLine($"second: {Describe(report.Second)}");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FID: {report.Fid:0.######}"));
        if (report.Regularised)
        {
            w.WriteLine($"the covariance product was singular: {FrechetDistance.Epsilon:G} was added to both diagonals, as pytorch-fid does");
        }

        if (report.Kid is { } k)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"KID: {k:G6} ± {report.KidStd:G3} ({report.KidSubsets} subsets of {report.KidSubsetSize})"));
        }

        if (report.Note is not null)
        {
            w.WriteLine($"note: {report.Note}");
        }

        return w.ToString();
    }

    private static string Describe(FidInput input) => input.Images is { } n
        ? $"{input.Path} ({n} images{(input.Unreadable.Count > 0 ? $", {input.Unreadable.Count} unreadable skipped" : string.Empty)})"
        : $"{input.Path} (statistics file, N not stored)";
}
