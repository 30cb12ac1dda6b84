using System.CommandLine;
using System.Diagnostics;
using CycleGan.App.Devices;
using CycleGan.App.Verification.Catalogue;

namespace CycleGan.App.Cli;

/// <summary>
/// `cyclegan verify-layers`: cross-checks every catalogued TorchSharp layer against its managed reference kernel on
/// this machine and device, forward and gradients. Exits 1 when any case fails.
/// </summary>
public static class VerifyLayersCommand
{
    public static Command Create()
    {
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed(20261125);
        var dtype = new Option<string>("--dtype")
        {
            Description = "Precision to check: float64, float32 or all",
            DefaultValueFactory = _ => "all",
        };
        dtype.AcceptOnlyFromAmong("float64", "float32", "all");
        var layer = new Option<string[]>("--layer")
        {
            Description = "Check only these layers (repeatable); default: all",
            AllowMultipleArgumentsPerToken = true,
        };
        var failuresOnly = new Option<bool>("--failures-only") { Description = "Print only failing cases" };
        var keepOneDnn = CommonOptions.KeepOneDnn();
        var toleranceScale = new Option<double>("--tolerance-scale")
        {
            Description = "Multiply every tolerance by this factor (for tests of the failure path)",
            DefaultValueFactory = _ => 1.0,
            Hidden = true,
        };
        toleranceScale.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value > 0) || double.IsInfinity(value))
            {
                result.AddError($"--tolerance-scale must be a positive number, got {value}");
            }
        });

        var command = new Command("verify-layers", "Cross-check every catalogued layer (forward and gradients) against the managed reference kernels.")
        {
            device, dtype, layer, seed, failuresOnly, keepOneDnn, toleranceScale,
        };
        command.SetAction(parse =>
        {
            Tolerances.Scale = parse.GetValue(toleranceScale);
            return Run(
                TorchRuntime.Start(parse.GetValue(device), parse.GetValue(keepOneDnn)),
                parse.GetValue(dtype)!,
                parse.GetValue(layer) ?? [],
                parse.GetValue(seed),
                parse.GetValue(failuresOnly));
        });
        return command;
    }

    private static int Run(torch.Device device, string dtype, string[] layers, int seed, bool failuresOnly)
    {
        foreach (string name in layers)
        {
            LayerCatalogue.Get(name); // unknown names fail before any work
        }

        torch.ScalarType[] dtypes = dtype switch
        {
            "float64" => [torch.ScalarType.Float64],
            "float32" => [torch.ScalarType.Float32],
            _ => [torch.ScalarType.Float64, torch.ScalarType.Float32],
        };

        Console.WriteLine($"libtorch: {TorchRuntime.EnsureInitialized().Message}");
        Console.WriteLine($"verify-layers on {device}, seed {seed}; error = max|torch - reference| / max|reference|; " +
                          $"tolerance float64 {Tolerances.For(torch.ScalarType.Float64):G}, float32 {Tolerances.For(torch.ScalarType.Float32):G}");
        Console.WriteLine($"{"layer",-18} {"dtype",-7} {"case",-58} {"max abs err",11} {"max rel err",11}  result");
        var clock = Stopwatch.StartNew();
        var all = new List<CheckOutcome>();
        foreach (torch.ScalarType t in dtypes)
        {
            all.AddRange(LayerCatalogue.Verify(device, t, seed, layers, o =>
            {
                if (!failuresOnly || !o.Passed)
                {
                    Console.WriteLine($"{o.Layer,-18} {o.DType,-7} {Truncate(o.Case, 58),-58} {o.MaxAbsError,11:0.00E+00} {o.MaxRelError,11:0.00E+00}  " +
                                      (o.Passed ? "pass" : "FAIL " + o.FailureSummary));
                }
            }));
        }

        int failed = all.Count(o => !o.Passed);
        var missing = layers.Length == 0 ? LayerCatalogue.Missing : [];
        Console.WriteLine();
        foreach (var group in all.GroupBy(o => o.Layer))
        {
            int bad = group.Count(o => !o.Passed);
            Console.WriteLine($"{group.Key,-18} {group.Count(),4} cases  {(bad == 0 ? "pass" : $"FAIL ({bad} failed)")}");
        }

        foreach (string name in missing)
        {
            Console.WriteLine($"{name,-18}    0 cases  FAIL (no catalogue entry)");
        }

        Console.WriteLine($"verify-layers: {all.Count - failed} passed, {failed} failed, {clock.Elapsed.TotalSeconds:F1} s");
        return failed == 0 && missing.Count == 0 ? 0 : 1;
    }

    private static string Truncate(string s, int width) => s.Length <= width ? s : s[..(width - 1)] + "…";
}
