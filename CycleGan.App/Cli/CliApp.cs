using System.CommandLine;
using CycleGan.App.Devices;
using Serilog;

namespace CycleGan.App.Cli;

/// <summary>The `cyclegan` command line: one subcommand per file in this folder.</summary>
public static class CliApp
{
    /// <summary>Exit code for bad input (arguments, files, configs); 1 is a failed check or run.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code when memory ran out (an allocation failed).</summary>
    public const int OutOfMemoryExit = 3;

    /// <summary>What an allocation failure tells the user: what was asked for, what is free, what to change.</summary>
    public static string OutOfMemoryMessage(Exception ex) =>
        $"out of memory: {Inference.OutOfMemory.Describe(ex)}. Use smaller images (data.crop_size, translate --max-pixels), a smaller " +
        "data.batch_size or model (ngf/ndf), or close other programs; a training run continues from its last checkpoint with --resume.";

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("CycleGAN image-to-image translation on TorchSharp: train, translate, verify.");
        root.Add(LayersCommand.Create());
        root.Add(VerifyLayersCommand.Create());
        root.Add(VerifyNetworksCommand.Create());
        root.Add(DescribeCommand.Create());
        root.Add(TrainCommand.Create());
        root.Add(TranslateCommand.Create());
        root.Add(TestCommand.Create());
        root.Add(EvaluateCommand.Create());
        root.Add(FidCommand.Create());
        root.Add(ExportCommand.Create());
        root.Add(DatasetCommand.Create());
        OptionRanges.Apply(root);
        FileOptions.Apply(root);
        return root;
    }

    /// <summary>The message for the user: an ArgumentException's text without .NET's "(Parameter 'x')" suffix.</summary>
    public static string Describe(Exception ex) =>
        ex is ArgumentException { ParamName: { } name } arg && arg.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? arg.Message[..^$" (Parameter '{name}')".Length]
            : ex.Message;

    public static int Run(string[] args) => Run(BuildRoot(), args);

    /// <summary>Runs a command line (the app's, or the benchmarks'): logging, parse errors, and exceptions as exit codes.</summary>
    public static int Run(RootCommand root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        HugePages.Request(); // before libtorch's first allocation
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Warning)
            .CreateLogger();
        try
        {
            ParseResult parse = root.Parse(args);
            var unknown = UnknownOptions.Find(parse);
            if (parse.Errors.Count > 0 || unknown.Count > 0)
            {
                foreach (var (_, message) in unknown)
                {
                    Console.Error.WriteLine($"error: {message}");
                }

                // the parser's own words for the tokens named above ("Unrecognized command or argument '--x'") add nothing
                foreach (var error in parse.Errors.Where(e => !unknown.Any(u => e.Message.Contains($"'{u.Token}'", StringComparison.Ordinal))))
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
        catch (Exception ex) when (Inference.OutOfMemory.Is(ex))
        {
            Console.Error.WriteLine($"error: {OutOfMemoryMessage(ex)}");
            if (Environment.GetEnvironmentVariable("CYCLEGAN_DEBUG") is { Length: > 0 })
            {
                Console.Error.WriteLine(ex);
            }

            return OutOfMemoryExit;
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }
}
