using System.Diagnostics;

namespace CycleGan.Tests.Data;

public class DownloadScriptTests
{
    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "scripts", "download_dataset.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("scripts/download_dataset.sh not found above the test binaries");
    }

    private static (int Code, string Error) RunScript(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Script());
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }

    // Only names the script refuses before touching the network: a test must not download.
    [Theory]
    [InlineData("horse2zebraa")]
    [InlineData("")]
    public void Unknown_names_list_the_valid_ones(string name)
    {
        var (code, error) = RunScript(name);
        Assert.Equal(2, code);
        Assert.Contains("unknown dataset", error);
        Assert.Contains("apple2orange summer2winter_yosemite horse2zebra monet2photo", error);
        Assert.Contains("mini_colorization", error);
    }

    [Fact]
    public void No_argument_prints_the_usage()
    {
        var (code, error) = RunScript();
        Assert.Equal(2, code);
        Assert.Contains("usage:", error);
    }
}
