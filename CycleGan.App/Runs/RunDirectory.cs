using System.Globalization;
using System.Text.RegularExpressions;

namespace CycleGan.App.Runs;

/// <summary>
/// The files of one run, runs/NAME/: config.json (the resolved config), train.log, index.html (the run page),
/// losses.csv, scores.json (with output.eval_freq), tensorboard/ (unless output.tensorboard is false),
/// samples/epoch_EEEE_iter_IIIIIIII.png, translated/ (translate's default output), checkpoints/ (latest.ckpt,
/// epoch_NNNN.ckpt, best.ckpt, superseded-TIME/ when a rewind moved later ones aside), a .lock while a trainer holds
/// it, and the time-stamped files of failed starts it was reused after (train.TIME.log, config.TIME.json, samples.TIME/).
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

    /// <summary>Whether any checkpoint (latest or of an epoch) exists: only then has the run really started.</summary>
    public bool HasCheckpoint => File.Exists(Latest) || EpochCheckpoints().Count > 0;

    /// <summary>A run folder whose start failed before its first checkpoint: it holds a run's files but no checkpoint.</summary>
    public bool IsFailedStart => !HasCheckpoint && (File.Exists(ConfigFile) || File.Exists(LogFile));

    /// <summary>
    /// Refuses, before anything is written, a new run in a folder that holds a started run or other files, unless
    /// <paramref name="force"/>; a folder whose run never wrote a checkpoint may be reused, unless a trainer holds it.
    /// </summary>
    public void CheckCanStartNewRun(bool force)
    {
        if (!HasContent)
        {
            return;
        }

        if (IsFailedStart)
        {
            CheckNotLocked();
            return;
        }

        if (!force)
        {
            string what = HasCheckpoint ? "a run with checkpoints" : "files that are not a run's";
            throw new IOException($"run folder {Root} already holds {what}; use --resume to continue it, --force to start over " +
                                  "(the old folder is kept, renamed), or --name to choose another run name");
        }
    }

    /// <summary>
    /// Proves, without creating it, that the run folder can be made: its nearest existing ancestor must be a folder
    /// in which files can be written.
    /// </summary>
    public void CheckCreatable()
    {
        string? dir = Root;
        while (dir is not null && !Directory.Exists(dir))
        {
            if (File.Exists(dir))
            {
                throw new IOException($"run folder {Root} is not writable: {dir} is a file, not a folder");
            }

            dir = Path.GetDirectoryName(dir);
        }

        if (dir is null)
        {
            throw new IOException($"run folder {Root} is not writable: none of its parent folders exists");
        }

        string probe = Path.Combine(dir, $".cyclegan-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"run folder {Root} is not writable: cannot write in {dir}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Makes the folder for a new run (after <see cref="CheckCanStartNewRun"/>). An existing run is never
    /// overwritten: with <paramref name="force"/> the old folder is moved aside to NAME.replaced-TIMESTAMP; a failed
    /// start (no checkpoint) is reused, its files kept beside the new ones under names with the time
    /// (train.log becomes train.TIMESTAMP.log). Returns what was done with the old files, or null.
    /// </summary>
    public string? CreateForNewRun(bool force)
    {
        CheckCanStartNewRun(force);
        string? note = null;
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        if (HasContent && IsFailedStart)
        {
            var kept = KeepFailedStart(stamp);
            note = $"run folder {Root} held a start that wrote no checkpoint; it is reused, its files kept as {string.Join(", ", kept)}";
        }
        else if (HasContent)
        {
            string movedTo = $"{Root}.replaced-{stamp}";
            Directory.Move(Root, movedTo);
            note = $"--force: the previous run folder was moved to {movedTo}";
        }

        EnsureWritable();
        return note;
    }

    /// <summary>Renames a failed start's files (config, log, samples, TensorBoard, index) with the time; empty
    /// folders and files that are not a run's are left as they are.</summary>
    private List<string> KeepFailedStart(string stamp)
    {
        var kept = new List<string>();
        foreach (string file in new[] { ConfigFile, LogFile, IndexHtml })
        {
            if (File.Exists(file))
            {
                string to = Unused(n => Path.Combine(Root, $"{Path.GetFileNameWithoutExtension(file)}.{stamp}{n}{Path.GetExtension(file)}"));
                File.Move(file, to);
                kept.Add(Path.GetFileName(to));
            }
        }

        foreach (string dir in new[] { Samples, TensorBoard })
        {
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            {
                string to = Unused(n => $"{dir}.{stamp}{n}");
                Directory.Move(dir, to);
                kept.Add(Path.GetFileName(to) + "/");
            }
        }

        return kept;
    }

    /// <summary>The first of name(""), name("-2"), name("-3")... that does not exist: two failed starts within one
    /// second must not collide.</summary>
    private static string Unused(Func<string, string> name)
    {
        for (int n = 1; ; n++)
        {
            string path = name(n == 1 ? string.Empty : $"-{n}");
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                return path;
            }
        }
    }

    private void CheckNotLocked()
    {
        string path = Path.Combine(Root, ".lock");
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new IOException($"run folder {Root} is in use by another cyclegan train; wait for it to end or choose another --name");
        }
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

    /// <summary>
    /// Before a run continues from an earlier point than it had reached (--from-epoch, --epoch-count), the checkpoints
    /// of the epochs it will write again belong to the continuation it abandons: they are moved to
    /// checkpoints/superseded-TIME/, beside copies of latest.ckpt and best.ckpt as they were, so that nothing written
    /// before is replaced. Returns that folder, or null where no epoch checkpoint would be written again.
    /// </summary>
    public string? SetAsideEpochsFrom(int firstEpochWritten)
    {
        var later = EpochCheckpoints().Where(e => e.Epoch >= firstEpochWritten).ToList();
        if (later.Count == 0)
        {
            return null;
        }

        string aside = Unused(suffix => Path.Combine(Checkpoints, $"superseded-{DateTime.UtcNow:yyyyMMdd-HHmmss}{suffix}"));
        Directory.CreateDirectory(aside);
        foreach (string path in new[] { Latest, BestCheckpoint }.Where(File.Exists))
        {
            File.Copy(path, Path.Combine(aside, Path.GetFileName(path)));
        }

        foreach (var (_, path) in later)
        {
            File.Move(path, Path.Combine(aside, Path.GetFileName(path)));
        }

        return aside;
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

    /// <summary>The checkpoint that an --epoch option names: the latest (null), epoch N's, or the best epoch's ("best").</summary>
    public string CheckpointForEpochOption(string? epoch) => epoch switch
    {
        null => CheckpointToResume(null),
        "best" => CheckpointOfBest(),
        _ when int.TryParse(epoch, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int e) => CheckpointToResume(e),
        _ => throw new ArgumentException($"--epoch takes an epoch number or 'best', got '{epoch}'"),
    };

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
