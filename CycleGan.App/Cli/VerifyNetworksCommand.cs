using System.CommandLine;
using System.Diagnostics;
using CycleGan.App.Config;
using CycleGan.App.Devices;
using CycleGan.App.Verification;

namespace CycleGan.App.Cli;

/// <summary>
/// `cyclegan verify-networks`: whole networks in float32 on the CPU convolution path this machine chose, against
/// float64 (output, input gradient, every parameter gradient), judged against the float32 error of the reference
/// path (oneDNN off). Exits 1 when any network fails. `train` runs the short form (<see cref="NetworkChecks.ForConfig"/>)
/// at start-up.
/// </summary>
public static class VerifyNetworksCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config")
        {
            Description = "Check this config's generator and discriminator (short form: batch 1, small sides) instead of the standard set",
        };
        var sizes = new Option<int[]>("--sizes")
        {
            Description = "Image sides for the standard set",
            DefaultValueFactory = _ => [64, 128, 256],
            AllowMultipleArgumentsPerToken = true,
        };
        var batches = new Option<int[]>("--batches")
        {
            Description = "Batch sizes for the standard set",
            DefaultValueFactory = _ => [1, 4],
            AllowMultipleArgumentsPerToken = true,
        };
        var seed = CommonOptions.Seed(20261204);
        var keepOneDnn = CommonOptions.KeepOneDnn();
        var command = new Command("verify-networks",
            "Check whole generators and discriminators in float32 on this machine's CPU convolution path against float64 (outputs and all gradients).")
        {
            config, sizes, batches, seed, keepOneDnn,
        };
        command.SetAction(parse =>
        {
            TorchRuntime.Start("cpu", parse.GetValue(keepOneDnn));
            IEnumerable<NetworkCheckCase> cases = parse.GetValue(config) is { } name
                ? NetworkChecks.ForConfig(ConfigLoader.Load(name, []))
                : NetworkChecks.Standard(parse.GetValue(sizes)!, parse.GetValue(batches)!);
            return Run(cases, parse.GetValue(seed));
        });
        return command;
    }

    private static int Run(IEnumerable<NetworkCheckCase> cases, int seed)
    {
        Console.WriteLine($"libtorch: {TorchRuntime.EnsureInitialized().Message}");
        Console.WriteLine($"verify-networks: float32 on the chosen path vs float64, seed {seed}, {torch.get_num_threads()} threads; " +
                          "error = ||float32 - float64|| / ||float64||, shown as chosen path / reference path (oneDNN off); " +
                          $"passes within {NetworkCheck.BaselineFactor}x the reference path's error, or {NetworkCheck.OutputFloor:G} " +
                          $"(output), {NetworkCheck.GradientFloor:G} (gradients)");
        string? noBf16 = Bf16Support.Refusal(torch.CPU);
        Console.WriteLine(noBf16 is null
            ? "bf16: the same networks with bfloat16 convolutions against float64 (output / input grad / worst parameter grad), shown, not judged"
            : $"bf16: not checked ({noBf16})");
        Console.WriteLine($"{"network",-30} {"input",-14} {"output",17} {"input grad",17} {"worst parameter grad",-44} " +
                          $"{(noBf16 is null ? $"{"bf16",-26} " : string.Empty)}{"s",6}  result");
        var clock = Stopwatch.StartNew();
        var verdicts = NetworkChecks.Run(cases, seed, bf16: noBf16 is null, report: v =>
        {
            var r = v.Shown;
            var worstParameter = r.Tensors.Skip(2).MaxBy(t => t.Error / t.Tolerance)!;
            string draws = v.Draws.Count == 1 ? string.Empty : $" ({v.FailedDraws} of {v.Draws.Count} draws failed)";
            Console.WriteLine($"{r.Network,-30} {r.Shape,-14} {Pair(r.Tensors[0]),17} {Pair(r.Tensors[1]),17} " +
                              $"{Truncate(worstParameter.Name, 22) + " " + Pair(worstParameter),-44} {Bf16Column(r)}{v.Elapsed.TotalSeconds,6:F1}  " +
                              (v.Passed ? "pass" : "FAIL " + string.Join(", ", r.Tensors.Where(t => !t.Passed).Select(t => t.Name))) + draws);
        }).ToList();
        int failed = verdicts.Count(v => !v.Passed);
        Console.WriteLine($"verify-networks: {verdicts.Count - failed} passed, {failed} failed, {clock.Elapsed.TotalSeconds:F1} s");
        return failed == 0 ? 0 : 1;
    }

    private static string Bf16Column(NetworkCheckResult r) => r.Bf16Tensors.Count == 0
        ? string.Empty
        : $"{$"{r.Bf16Tensors[0].Error:0.0E+0} / {r.Bf16Tensors[1].Error:0.0E+0} / {r.Bf16Tensors.Skip(2).Max(t => t.Error):0.0E+0}",-26} ";

    private static string Pair(TensorError t) => $"{t.Error:0.0E+0}/{t.Baseline:0.0E+0}";

    private static string Truncate(string s, int width) => s.Length <= width ? s : "…" + s[^(width - 1)..];
}
