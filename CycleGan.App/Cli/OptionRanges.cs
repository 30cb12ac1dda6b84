using System.CommandLine;
using System.Globalization;

namespace CycleGan.App.Cli;

/// <summary>
/// The allowed range of every whole-number option of every command, in one table, attached to the options as parse
/// validators (<see cref="Apply"/>): a value out of range is a parse error (exit 2) naming the option, the value and
/// what is allowed, before anything runs. An integer option missing from the table is a start-up error, so that a
/// new option cannot silently take 0 or a negative number.
/// </summary>
public static class OptionRanges
{
    /// <summary>"command [subcommand] --option" to the inclusive range.</summary>
    public static readonly IReadOnlyDictionary<string, (long Min, long Max)> Table = new Dictionary<string, (long, long)>(StringComparer.Ordinal)
    {
        ["train --seed"] = (0, int.MaxValue),
        ["train --from-epoch"] = (1, int.MaxValue),
        ["train --epoch-count"] = (1, int.MaxValue),
        ["train --stop-after-epoch"] = (1, int.MaxValue),
        ["translate --size"] = (8, 8192),
        ["translate --batch"] = (1, 1024),
        ["translate --max-pixels"] = (64, long.MaxValue),
        ["test --how-many"] = (1, int.MaxValue),
        ["evaluate --how-many"] = (1, int.MaxValue),
        ["fid --batch-size"] = (1, 1024),
        ["fid --dims"] = (1, int.MaxValue),
        ["export --opset"] = (Export.OnnxExporter.MinimumOpset, Export.OnnxExporter.MaximumOpset),
        ["describe --size"] = (4, 8192),
        ["dataset synth --size"] = (8, 4096),
        ["dataset synth --count"] = (1, int.MaxValue),
        ["dataset synth --test-count"] = (1, int.MaxValue),
        ["dataset synth --seed"] = (0, int.MaxValue),
        ["verify-layers --seed"] = (0, int.MaxValue),
        ["verify-networks --seed"] = (0, int.MaxValue),
        ["verify-networks --sizes"] = (8, 4096),
        ["verify-networks --batches"] = (1, 1024),
    };

    public static string Allowed((long Min, long Max) range) =>
        range.Max >= int.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"{range.Min} or more")
            : string.Create(CultureInfo.InvariantCulture, $"{range.Min} to {range.Max}");

    /// <summary>Adds the table's validator to every whole-number option under <paramref name="root"/> (the app's table, or
    /// another command line's, such as the benchmarks').</summary>
    public static void Apply(Command root, IReadOnlyDictionary<string, (long Min, long Max)>? table = null)
    {
        table ??= Table;
        foreach (var (key, option) in IntegerOptions(root))
        {
            if (!table.TryGetValue(key, out var range))
            {
                throw new InvalidOperationException($"option {key} has no range in its command line's range table");
            }

            option.Validators.Add(result =>
            {
                foreach (long value in Values(result))
                {
                    if (value < range.Min || value > range.Max)
                    {
                        result.AddError(string.Create(CultureInfo.InvariantCulture,
                            $"{option.Name} {value} is out of range; allowed: {Allowed(range)}"));
                    }
                }
            });
        }
    }

    /// <summary>Every option of a whole-number type (int, int?, long, int[]) under <paramref name="command"/>, keyed as in
    /// <see cref="Table"/>.</summary>
    public static IEnumerable<(string Key, Option Option)> IntegerOptions(Command command, string prefix = "")
    {
        foreach (Command sub in command.Subcommands)
        {
            string path = prefix.Length == 0 ? sub.Name : prefix + " " + sub.Name;
            foreach (Option option in sub.Options.Where(o => IsInteger(o.ValueType)))
            {
                yield return ($"{path} {option.Name}", option);
            }

            foreach (var nested in IntegerOptions(sub, path))
            {
                yield return nested;
            }
        }
    }

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(int?) || type == typeof(long) || type == typeof(long?) || type == typeof(int[]);

    private static IEnumerable<long> Values(System.CommandLine.Parsing.OptionResult result)
    {
        try
        {
            return Convert(result).ToList();
        }
        catch (InvalidOperationException)
        {
            return []; // not a number at all: the parser reports that
        }
    }

    private static IEnumerable<long> Convert(System.CommandLine.Parsing.OptionResult result) => result.Option.ValueType switch
    {
        var t when t == typeof(int) => [result.GetValueOrDefault<int>()],
        var t when t == typeof(int?) => result.GetValueOrDefault<int?>() is { } v ? [v] : [],
        var t when t == typeof(long) => [result.GetValueOrDefault<long>()],
        var t when t == typeof(long?) => result.GetValueOrDefault<long?>() is { } v ? [v] : [],
        var t when t == typeof(int[]) => (result.GetValueOrDefault<int[]>() ?? []).Select(v => (long)v),
        _ => [],
    };
}
