namespace CycleGan.Tests.Cli;

/// <summary>Following the README leaves git clean, and every JSON the application writes is plain UTF-8.</summary>
public sealed class RepositoryHygieneTests
{
    /// <summary>The folders the README's commands write into, relative to the repository: train's runs/, test's
    /// results/, the datasets, export's --output export/..., translate's default ./translated.</summary>
    [Theory]
    [InlineData("runs")]
    [InlineData("results")]
    [InlineData("datasets")]
    [InlineData("export")]
    [InlineData("translated")]
    public void OutputFoldersOfTheReadmeAreIgnoredByGit(string folder)
    {
        var patterns = File.ReadAllLines(Path.Combine(Repository.Root, ".gitignore")).Select(l => l.Trim().Trim('/')).ToHashSet();
        Assert.Contains(folder, patterns);
        Assert.Contains($"{folder}/", File.ReadAllText(Path.Combine(Repository.Root, "README.md")));
    }

    /// <summary>System.Text.Json escapes '>' and non-ASCII by default ("A-\u003EB"): every options object of the
    /// application names the plain encoder (the hidden bench commands write numbers only and are left out).</summary>
    [Fact]
    public void EveryJsonOptionsOfTheApplicationWritesPlainUtf8()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Repository.Root, "CycleGan.App"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !Path.GetFileName(f).StartsWith("Bench", StringComparison.Ordinal))
            .ToList();
        var offenders = new List<string>();
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            int creations = CountOf(text, "new JsonSerializerOptions") + CountOf(text, "JsonSerializerOptions Json = new()")
                            + CountOf(text, "JsonSerializerOptions Options = new()") + CountOf(text, "JsonSerializerOptions JsonOptions = new()");
            if (creations > CountOf(text, "Encoder = "))
            {
                offenders.Add(Path.GetFileName(file));
            }
        }

        Assert.True(files.Sum(f => CountOf(File.ReadAllText(f), "JsonSerializerOptions")) > 3, "the scan found too few JSON options to be looking at the right code");
        Assert.Empty(offenders);
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
