using System.Globalization;
using System.Text.RegularExpressions;
using CycleGan.App.Training.Checkpoints;

namespace CycleGan.App.Training;

/// <summary>
/// The files of one run, runs/NAME/: config.json (the resolved config), train.log, tensorboard/, samples/ with
/// index.html, and checkpoints/ (latest.ckpt, epoch_NNNN.ckpt).
/// </summary>
public sealed partial class RunDirectory(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string ConfigFile => Path.Combine(Root, "config.json");

    public string LogFile => Path.Combine(Root, "train.log");

    public string TensorBoard => Path.Combine(Root, "tensorboard");

    public string Samples => Path.Combine(Root, "samples");

    public string IndexHtml => Path.Combine(Root, "index.html");

    public string Checkpoints => Path.Combine(Root, "checkpoints");

    public string Latest => Path.Combine(Checkpoints, "latest.ckpt");

    /// <summary>The checkpoint of the epoch with the best scores (output.eval_freq), for --epoch best.</summary>
    public string BestCheckpoint => Path.Combine(Checkpoints, "best.ckpt");

    /// <summary>FID/KID per evaluated epoch (output.eval_freq), and which epoch is best.</summary>
    public string ScoresFile => Path.Combine(Root, "scores.json");

    /// <summary>The losses of every report (print_freq iterations), for the plots in index.html.</summary>
    public string LossesFile => Path.Combine(Root, "losses.csv");

    public string EpochCheckpoint(int epoch) => Path.Combine(Checkpoints, $"epoch_{epoch:D4}.ckpt");

    /// <summary>The epoch checkpoints present, oldest first.</summary>
    public IReadOnlyList<(int Epoch, string Path)> EpochCheckpoints() =>
        !Directory.Exists(Checkpoints)
            ? []
            : Directory.EnumerateFiles(Checkpoints, "epoch_*.ckpt")
                .Select(p => (Match: EpochName().Match(Path.GetFileName(p)), Path: p))
                .Where(m => m.Match.Success)
                .Select(m => (int.Parse(m.Match.Groups[1].Value, CultureInfo.InvariantCulture), m.Path))
                .OrderBy(e => e.Item1)
                .ToList();

    /// <summary>Whether the folder exists and holds anything.</summary>
    public bool HasContent => Directory.Exists(Root) && Directory.EnumerateFileSystemEntries(Root).Any();

    /// <summary>
    /// Makes the folder for a new run. An existing run is never overwritten: without <paramref name="force"/> it is an
    /// error; with it, the old folder is moved aside to NAME.replaced-TIMESTAMP and kept.
    /// </summary>
    public string? CreateForNewRun(bool force)
    {
        string? movedTo = null;
        if (HasContent)
        {
            if (!force)
            {
                string what = File.Exists(Latest) ? "a run with checkpoints" : "files";
                throw new IOException($"run folder {Root} already holds {what}; use --resume to continue it, --force to start over " +
                                      "(the old folder is kept, renamed), or --name to choose another run name");
            }

            movedTo = $"{Root}.replaced-{DateTime.Now:yyyyMMdd-HHmmss}";
            Directory.Move(Root, movedTo);
        }

        EnsureWritable();
        return movedTo;
    }

    /// <summary>Creates the folders and proves that files can be written there, naming the folder if not.</summary>
    public void EnsureWritable()
    {
        try
        {
            Directory.CreateDirectory(Root);
            Directory.CreateDirectory(Checkpoints);
            Directory.CreateDirectory(Samples);
            string probe = Path.Combine(Root, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"run folder {Root} is not writable: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Claims the run folder for this process: a second trainer on the same folder is refused while this one holds
    /// the lock (released when the returned handle is disposed or the process ends, however it ends). Temporary files
    /// that a killed trainer left behind are removed.
    /// </summary>
    public IDisposable Lock()
    {
        string path = Path.Combine(Root, ".lock");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new IOException($"run folder {Root} is in use by another cyclegan train; wait for it to end or choose another --name");
        }

        foreach (string temp in Directory.EnumerateFiles(Checkpoints, ".*.tmp"))
        {
            File.Delete(temp);
        }

        return stream;
    }

    /// <summary>Keeps the newest <paramref name="keep"/> epoch checkpoints (0 keeps all); returns those deleted.</summary>
    public IReadOnlyList<string> PruneEpochCheckpoints(int keep)
    {
        if (keep <= 0)
        {
            return [];
        }

        var all = EpochCheckpoints();
        var old = all.Take(Math.Max(0, all.Count - keep)).Select(e => e.Path).ToList();
        foreach (string path in old)
        {
            File.Delete(path);
        }

        return old;
    }

    /// <summary>The checkpoint to resume from: latest.ckpt, or epoch <paramref name="fromEpoch"/>'s.</summary>
    public string CheckpointToResume(int? fromEpoch)
    {
        if (!Directory.Exists(Root))
        {
            string parent = Path.GetDirectoryName(Root) ?? ".";
            string runs = Directory.Exists(parent)
                ? string.Join(", ", Directory.EnumerateDirectories(parent).Select(Path.GetFileName).Order())
                : string.Empty;
            throw new DirectoryNotFoundException($"run folder {Root} does not exist" + (runs.Length > 0 ? $"; runs in {parent}: {runs}" : string.Empty));
        }

        string path = fromEpoch is { } e ? EpochCheckpoint(e) : Latest;
        return Existing(path);
    }

    /// <summary>The best epoch's checkpoint (written when output.eval_freq scores an epoch better than all before).</summary>
    public string CheckpointOfBest()
    {
        CheckpointToResume(null);
        if (File.Exists(BestCheckpoint))
        {
            return BestCheckpoint;
        }

        throw new FileNotFoundException(
            $"run {Root} has no best checkpoint ({BestCheckpoint}): it is written only when training scores epochs with FID/KID " +
            "(output.eval_freq N and the FID Inception weights); use --epoch N or the latest", BestCheckpoint);
    }

    private string Existing(string path)
    {
        if (File.Exists(path))
        {
            return path;
        }

        var epochs = EpochCheckpoints();
        string available = epochs.Count == 0 ? "none" : string.Join(", ", epochs.Select(x => x.Epoch));
        throw new FileNotFoundException(
            $"checkpoint {path} does not exist (epoch checkpoints in {Checkpoints}: {available}{(File.Exists(Latest) ? "; latest.ckpt exists" : string.Empty)})", path);
    }

    [GeneratedRegex(@"^epoch_(\d+)\.ckpt$")]
    private static partial Regex EpochName();
}
