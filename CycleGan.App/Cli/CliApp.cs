using System.CommandLine;
using CycleGan.App.Devices;
using Serilog;

namespace CycleGan.App.Cli;

/// <summary>The `cyclegan` command line: one subcommand per file in this folder.</summary>
public static class CliApp
{
    /// <summary>Exit code for bad input (arguments, files, configs); 1 is a failed check or run.</summary>
    public const int BadInput = 2;

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("CycleGAN image-to-image translation on TorchSharp: train, translate, verify.");
        root.Add(LayersCommand.Create());
        root.Add(VerifyLayersCommand.Create());
        root.Add(DescribeCommand.Create());
        root.Add(TrainCommand.Create());
        root.Add(TranslateCommand.Create());
        root.Add(TestCommand.Create());
        root.Add(EvaluateCommand.Create());
        root.Add(ExportCommand.Create());
        root.Add(DatasetCommand.Create());
        root.Add(BenchDataCommand.Create());
        root.Add(BenchOneDnnCommand.Create());
        root.Add(BenchTranslateCommand.Create());
        root.Add(BenchTrainCommand.Create());
        root.Add(BenchOnnxCommand.Create());
        return root;
    }

    /// <summary>
    /// Resolves --device and runs libtorch's one-time self-check (see <see cref="TorchRuntime"/>), logging its outcome:
    /// every command that computes with TorchSharp starts here.
    /// </summary>
    public static TorchSharp.torch.Device InitializeTorch(string? device, bool keepOneDnn = false)
    {
        TorchSharp.torch.Device resolved = DeviceSelector.Resolve(device);
        TorchRuntime.CpuConvolutionCheck check = TorchRuntime.EnsureInitialized(keepOneDnn);
        if (check.OneDnnFaulty)
        {
            Log.Warning("{Message}", check.Message);
        }
        else
        {
            Log.Debug("{Message}", check.Message);
        }

        return resolved;
    }

    /// <summary>The message for the user: an ArgumentException's text without .NET's "(Parameter 'x')" suffix.</summary>
    public static string Describe(Exception ex) =>
        ex is ArgumentException { ParamName: { } name } arg && arg.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? arg.Message[..^$" (Parameter '{name}')".Length]
            : ex.Message;

    public static int Run(string[] args)
    {
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Warning)
            .CreateLogger();
        try
        {
            ParseResult parse = BuildRoot().Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    Console.Error.WriteLine($"error: {error.Message}");
                }

                Console.Error.WriteLine("Run 'cyclegan --help' (or 'cyclegan COMMAND --help') for usage.");
                return BadInput;
            }

            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception ex) when (ex is ArgumentException or Config.ConfigException or FormatException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {Describe(ex)}");
            if (Environment.GetEnvironmentVariable("CYCLEGAN_DEBUG") is { Length: > 0 })
            {
                Console.Error.WriteLine(ex); // the whole stack, for bug reports
            }

            return BadInput;
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }
}
