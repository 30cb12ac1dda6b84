using System.CommandLine;
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
        root.Add(DatasetCommand.Create());
        root.Add(BenchDataCommand.Create());
        return root;
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
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {Describe(ex)}");
            return BadInput;
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }
}
