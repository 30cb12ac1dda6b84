using System.Globalization;

namespace CycleGan.App.Config;

/// <summary>Wording of config errors, in one place so that every message names the key, the value and what is allowed.</summary>
public static class ConfigRules
{
    public static string Range(string key, double value, string allowed) =>
        $"{key}: {value.ToString(CultureInfo.InvariantCulture)} is out of range; allowed: {allowed}";

    public static string? OneOf(string key, string value, IReadOnlyList<string> allowed)
    {
        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return null;
        }

        string? near = Closest(value, allowed);
        return $"{key}: '{value}' is not one of {string.Join(", ", allowed)}" + (near is null ? string.Empty : $" (did you mean '{near}'?)");
    }

    /// <summary>The candidate nearest to <paramref name="value"/> by edit distance (ignoring case), if reasonably near.</summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string c in candidates)
        {
            int d = EditDistance(value.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, best.Length / 2) ? best : null;
    }

    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
