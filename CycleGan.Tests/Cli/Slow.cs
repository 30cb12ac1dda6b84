namespace CycleGan.Tests.Cli;

/// <summary>The executable run with a bound that only a hang reaches: a loaded machine makes a few seconds' work take
/// minutes, and a test must not fail for that.</summary>
public static class Slow
{
    public static readonly TimeSpan Bound = TimeSpan.FromMinutes(30);

    public static CliRunner.Result Run(string workingDirectory, params string[] args) => CliRunner.Run(workingDirectory, Bound, args);
}
