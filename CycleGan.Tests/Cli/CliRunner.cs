using System.Diagnostics;

namespace CycleGan.Tests.Cli;

/// <summary>Runs the built `cyclegan` executable as a separate process, as a user would.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    /// <summary>Runs with a bound that only a hang reaches: on a 2-core machine loaded by other builds, a command's start-up
    /// checks alone were seen to take 50 s where they take 3 s on an idle one.</summary>
    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, TimeSpan.FromMinutes(15), args);

    public static Result Run(string workingDirectory, TimeSpan timeout, params string[] args) => RunProgram("cyclegan", workingDirectory, timeout, args);

    /// <summary>Runs another executable built beside the tests (cyclegan-bench).</summary>
    public static Result RunProgram(string program, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var process = Start(program, workingDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran past {timeout}");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the executable with CI=true, stdin closed and stdout/stderr redirected; the caller reads them
    /// (or the process blocks once a pipe is full) and waits for it.</summary>
    public static Process Start(string workingDirectory, params string[] args) => Start("cyclegan", workingDirectory, args);

    private static Process Start(string program, string workingDirectory, string[] args)
    {
        string exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? program + ".exe" : program);
        var start = new ProcessStartInfo(exe)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["CI"] = "true";
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + exe);
        process.StandardInput.Close();
        return process;
    }
}
