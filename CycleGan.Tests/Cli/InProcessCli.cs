using CycleGan.App.Cli;

namespace CycleGan.Tests.Cli;

/// <summary>
/// Runs a command in this process with the console captured: no process start, no second libtorch start-up. Only for
/// tests of <see cref="Training.GlobalRandomCollection"/>, which runs alone, so nothing else writes to the console then.
/// </summary>
public static class InProcessCli
{
    public static CliRunner.Result Run(params string[] args) => Run(null, args);

    /// <summary>As <see cref="Run(string[])"/>; <paramref name="stdout"/> (if given) receives standard output.</summary>
    public static CliRunner.Result Run(StringWriter? stdout, params string[] args)
    {
        var (outBefore, errBefore) = (Console.Out, Console.Error);
        stdout ??= new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int exit = CliApp.Run(args);
            return new CliRunner.Result(exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(outBefore);
            Console.SetError(errBefore);
        }
    }

    /// <summary>A refusal of bad input: exit 2, <paramref name="message"/> on standard error, and
    /// <paramref name="output"/> never created.</summary>
    public static void AssertRefused(CliRunner.Result result, string message, string output)
    {
        ArgumentNullException.ThrowIfNull(result);
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.All}");
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), $"{output} was created");
    }
}
