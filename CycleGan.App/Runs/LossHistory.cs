using System.Globalization;

namespace CycleGan.App.Runs;

/// <summary>
/// runs/NAME/losses.csv: the averaged losses of each report (every print_freq iterations), one line each, for the
/// plots in index.html. Lines are appended; a line torn by a kill is skipped when read, and a resume from an earlier
/// checkpoint drops the lines after it.
/// </summary>
public static class LossHistory
{
    public static void Append(string path, long iteration, int epoch, IReadOnlyDictionary<string, double> losses)
    {
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "iteration,epoch," + string.Join(",", losses.Keys) + "\n");
        }

        File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{iteration},{epoch},") +
            string.Join(",", losses.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n");
    }

    /// <summary>The loss names and, per line, the iteration and values (malformed lines skipped).</summary>
    public static (IReadOnlyList<string> Names, IReadOnlyList<(long Iteration, double[] Values)> Rows) Read(string path)
    {
        if (!File.Exists(path))
        {
            return ([], []);
        }

        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            return ([], []);
        }

        string[] names = lines[0].Split(',').Skip(2).ToArray();
        var rows = new List<(long, double[])>();
        foreach (string line in lines.Skip(1))
        {
            string[] parts = line.Split(',');
            if (parts.Length != names.Length + 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out long iteration))
            {
                continue;
            }

            var values = new double[names.Length];
            bool ok = true;
            for (int i = 0; i < names.Length && ok; i++)
            {
                ok = double.TryParse(parts[i + 2], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]);
            }

            if (ok)
            {
                rows.Add((iteration, values));
            }
        }

        return (names, rows);
    }

    /// <summary>Drops the lines after <paramref name="iteration"/> (a resume continues from there).</summary>
    public static void TrimAfter(string path, long iteration)
    {
        if (!File.Exists(path))
        {
            return;
        }

        string[] lines = File.ReadAllLines(path);
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(l =>
            long.TryParse(l.Split(',')[0], CultureInfo.InvariantCulture, out long i) && i <= iteration)).ToList();
        if (kept.Count != lines.Length)
        {
            AtomicFile.WriteAllText(path, string.Join("\n", kept) + "\n");
        }
    }
}
