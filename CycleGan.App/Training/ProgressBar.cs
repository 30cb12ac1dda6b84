using System.Diagnostics;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace CycleGan.App.Training;

/// <summary>
/// A one-line progress display for an interactive terminal: epoch, iteration, it/s, ETA and current losses, redrawn
/// at most four times a second. Log lines pass through <see cref="Sink"/>, which clears the bar, writes the line and
/// redraws, so the two never garble each other. When output is redirected or CI=true, <see cref="IsInteractive"/> is
/// false and the trainer's periodic log lines are the only progress report.
/// </summary>
public sealed class ProgressBar
{
    private readonly Lock gate = new();
    private readonly Stopwatch sinceDraw = Stopwatch.StartNew();
    private string line = string.Empty;

    public static bool IsInteractive =>
        !Console.IsOutputRedirected &&
        !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public void Update(string text, bool force = false)
    {
        lock (gate)
        {
            if (!force && sinceDraw.ElapsedMilliseconds < 250)
            {
                line = text;
                return;
            }

            line = text;
            Draw();
            sinceDraw.Restart();
        }
    }

    /// <summary>Removes the bar (before the program writes its last lines).</summary>
    public void Finish()
    {
        lock (gate)
        {
            Clear();
            line = string.Empty;
        }
    }

    /// <summary>A Serilog sink that writes through <paramref name="inner"/> without breaking the bar.</summary>
    public ILogEventSink Sink(Serilog.ILogger inner) => new PassThrough(this, inner);

    public static string Format(int epoch, int epochs, long iteration, long totalIterations, double itPerSecond, IReadOnlyDictionary<string, double> losses)
    {
        double fraction = totalIterations > 0 ? Math.Clamp(iteration / (double)totalIterations, 0, 1) : 0;
        const int width = 20;
        int filled = (int)Math.Round(fraction * width);
        string bar = new string('#', filled) + new string('.', width - filled);
        string eta = itPerSecond > 0 ? Duration((totalIterations - iteration) / itPerSecond) : "?";
        string lossText = string.Join(" ", losses.Select(kv => $"{kv.Key} {kv.Value.ToString("0.000", CultureInfo.InvariantCulture)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch}/{epochs} [{bar}] {iteration}/{totalIterations} {itPerSecond:0.00} it/s ETA {eta} | {lossText}");
    }

    public static string Duration(double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds < 0)
        {
            return "?";
        }

        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
    }

    private void Draw()
    {
        int width = Math.Max(20, SafeWindowWidth() - 1);
        string text = line.Length > width ? line[..width] : line;
        Console.Out.Write("\r" + text.PadRight(width));
        Console.Out.Flush();
    }

    private void Clear()
    {
        if (line.Length > 0)
        {
            Console.Out.Write("\r" + new string(' ', Math.Max(20, SafeWindowWidth() - 1)) + "\r");
        }
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }

    private sealed class PassThrough(ProgressBar bar, Serilog.ILogger inner) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            lock (bar.gate)
            {
                bar.Clear();
                inner.Write(logEvent);
                if (bar.line.Length > 0)
                {
                    bar.Draw();
                }
            }
        }
    }
}
