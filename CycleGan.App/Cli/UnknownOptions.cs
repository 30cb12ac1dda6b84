using System.CommandLine;
using System.CommandLine.Parsing;
using CycleGan.App.Config;

namespace CycleGan.App.Cli;

/// <summary>
/// Tokens that look like options but are none of the command's: the parser reports them as unmatched where the
/// command takes no arguments, and silently takes them as arguments (input files) where it does, so both are
/// gathered here, for every command, with the nearest option as a suggestion. Tokens after "--" are arguments.
/// </summary>
public static class UnknownOptions
{
    /// <summary>The unknown option tokens of a parse, in order, and the message for each.</summary>
    public static IReadOnlyList<(string Token, string Message)> Find(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var asArguments = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        foreach (ArgumentResult argument in parse.CommandResult.Children.OfType<ArgumentResult>())
        {
            asArguments.UnionWith(argument.Tokens);
        }

        var unmatched = new HashSet<string>(parse.UnmatchedTokens, StringComparer.Ordinal);
        var found = new List<(string, string)>();
        foreach (Token token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                break;
            }

            bool stray = asArguments.Contains(token) || (token.Type == TokenType.Argument && unmatched.Contains(token.Value));
            if (stray && LooksLikeOption(token.Value) && !found.Exists(f => f.Item1 == token.Value))
            {
                found.Add((token.Value, Describe(token.Value, parse.CommandResult.Command)));
            }
        }

        return found;
    }

    /// <summary>"-x", "--name" or "--name=value", but not "-" (standard input) or a negative number.</summary>
    public static bool LooksLikeOption(string token) =>
        token.Length > 1 && token[0] == '-' && !double.TryParse(token, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static string Describe(string token, Command command)
    {
        string name = token.Split('=', 2)[0];
        var known = Known(command).ToList();
        string? near = ConfigRules.Closest(name, known);
        return $"unknown option {name} for '{Path(command)}'" +
               (near is null ? string.Empty : $" (did you mean {near}?)") +
               (command.Arguments.Count > 0 ? "; a file whose name starts with '-' goes after '--' or as ./NAME" : string.Empty);
    }

    /// <summary>The command's options and those its ancestors pass down (--help).</summary>
    private static IEnumerable<string> Known(Command command)
    {
        var options = command.Options.ToList();
        for (Symbol? s = command.Parents.FirstOrDefault(); s is Command parent; s = parent.Parents.FirstOrDefault())
        {
            options.AddRange(parent.Options.Where(o => o.Recursive));
        }

        foreach (Option option in options.Where(o => !o.Hidden))
        {
            yield return option.Name;
            foreach (string alias in option.Aliases)
            {
                yield return alias;
            }
        }
    }

    private static string Path(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command { } c && c is not RootCommand; s = c.Parents.FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return string.Join(' ', names);
    }
}
