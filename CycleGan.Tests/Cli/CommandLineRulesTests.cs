using System.CommandLine;
using CycleGan.App.Cli;
using CycleGan.Tests.Data;

namespace CycleGan.Tests.Cli;

/// <summary>Rules that hold for every command: unknown options, whole-number ranges, files named by options.</summary>
public sealed class CommandLineRulesTests
{
    /// <summary>Every command that runs something, as the words that name it ("dataset synth").</summary>
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        void Walk(Command c, string prefix)
        {
            foreach (Command sub in c.Subcommands)
            {
                string path = prefix.Length == 0 ? sub.Name : prefix + " " + sub.Name;
                if (sub.Action is not null)
                {
                    data.Add(path);
                }

                Walk(sub, path);
            }
        }

        Walk(CliApp.BuildRoot(), string.Empty);
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void AMisspelledOptionIsAnErrorWithTheNearestOptionOnEveryCommand(string command)
    {
        var root = CliApp.BuildRoot();
        string[] words = command.Split(' ');
        Command target = words.Aggregate((Command)root, (c, w) => c.Subcommands.Single(s => s.Name == w));
        string name = target.Options.FirstOrDefault(o => !o.Hidden && o.Name.Length > 4)?.Name ?? "--help";
        string typo = name[..^1] + "x" + name[^1]; // --direction -> --directixon
        // an input file argument, where the command takes one, so the typo has somewhere to hide
        ParseResult parse = root.Parse([.. words, "input.png", typo, "value"]);
        var unknown = UnknownOptions.Find(parse);
        var (token, message) = Assert.Single(unknown);
        Assert.Equal(typo, token);
        Assert.Contains($"did you mean {name}?", message);
    }

    [Fact]
    public void TranslateTakesAMisspelledOptionForNoInputFileAndExitsTwo()
    {
        using var dir = new TempDirectory();
        var result = Slow.Run(dir.Path, "translate", "a.png", "--directon", "BtoA");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option --directon for 'translate' (did you mean --direction?)", result.Stderr);
        Assert.DoesNotContain("Translating", result.All);

        var train = Slow.Run(dir.Path, "train", "--confg", "quickstart");
        Assert.Equal(2, train.ExitCode);
        Assert.Contains("(did you mean --config?)", train.Stderr);
    }

    [Theory]
    [InlineData("-3")]
    [InlineData("-")]
    public void NegativeNumbersAndAloneDashAreNotTakenForOptions(string token)
    {
        Assert.False(UnknownOptions.LooksLikeOption(token));
    }

    [Fact]
    public void AfterDoubleDashAFileMayStartWithADash()
    {
        ParseResult parse = CliApp.BuildRoot().Parse(["translate", "--", "--odd.png"]);
        Assert.Empty(UnknownOptions.Find(parse));
        Assert.Empty(parse.Errors);
    }

    public static TheoryData<string> IntegerOptions()
    {
        var data = new TheoryData<string>();
        foreach (var (key, _) in OptionRanges.IntegerOptions(CliApp.BuildRoot()))
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IntegerOptions))]
    public void EveryWholeNumberOptionRefusesValuesOutsideItsRange(string key)
    {
        var (min, max) = OptionRanges.Table[key];
        string[] words = key.Split(' ');
        foreach (long bad in new[] { min - 1, max + 1 }.Where(v => v is >= int.MinValue and <= int.MaxValue))
        {
            ParseResult parse = CliApp.BuildRoot().Parse([.. words, bad.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.Contains(parse.Errors, e => e.Message == $"{words[^1]} {bad} is out of range; allowed: {OptionRanges.Allowed((min, max))}");
        }

        ParseResult good = CliApp.BuildRoot().Parse([.. words, min.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.DoesNotContain(good.Errors, e => e.Message.Contains("out of range", StringComparison.Ordinal));
    }

    [Fact]
    public void TheRangeTableNamesOnlyOptionsThatExist()
    {
        var existing = OptionRanges.IntegerOptions(CliApp.BuildRoot()).Select(o => o.Key).ToHashSet();
        Assert.DoesNotContain(OptionRanges.Table.Keys, k => !existing.Contains(k));
    }

    [Theory]
    [InlineData("evaluate", "--how-many", "0")]
    [InlineData("evaluate", "--how-many", "-3")]
    [InlineData("train", "--stop-after-epoch", "0")]
    [InlineData("test", "--how-many", "0")]
    public void OutOfRangeValuesExitTwoBeforeAnythingRuns(string command, string option, string value)
    {
        using var dir = new TempDirectory();
        var result = Slow.Run(dir.Path, command, option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {option} {value} is out of range; allowed: 1 or more", result.Stderr);
    }

    [Theory]
    [InlineData("translate", "--checkpoint")]
    [InlineData("translate", "--model")]
    [InlineData("translate", "--weights")]
    [InlineData("test", "--checkpoint")]
    [InlineData("evaluate", "--inception-weights")]
    [InlineData("export", "--checkpoint")]
    public void AFolderWhereAFileIsExpectedIsCalledAFolder(string command, string option)
    {
        using var dir = new TempDirectory();
        ParseResult parse = CliApp.BuildRoot().Parse([command, option, dir.Path]);
        Assert.Contains(parse.Errors, e => e.Message.StartsWith($"{option} {dir.Path} is a folder; expected ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("test")]
    [InlineData("evaluate")]
    public void CommandsThatNeedBothGeneratorsDoNotOfferWeights(string command)
    {
        Command c = CliApp.BuildRoot().Subcommands.Single(s => s.Name == command);
        Assert.DoesNotContain(c.Options, o => o.Name is "--weights" or "--config");
        Assert.Contains(c.Options, o => o.Name == "--checkpoint");
    }
}
