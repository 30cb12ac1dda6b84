namespace CycleGan.App.Config;

/// <summary>
/// Which settings a resumed run may change. Architecture settings decide the checkpointed tensors' shapes; the
/// others listed here only act when a run begins, so a changed value would be logged yet have no effect (or,
/// for data.direction, would silently swap what the trained generators mean). Every other setting takes effect
/// from the first iteration after the resume.
/// </summary>
public static class ResumeRules
{
    /// <summary>Settings that decide the networks' parameter shapes and meaning.</summary>
    public static bool IsArchitecture(string key) =>
        key.StartsWith("model.", StringComparison.Ordinal) && key is not "model.init_type" and not "model.init_gain"
        || key is "data.input_nc" or "data.output_nc";

    /// <summary>Why a setting cannot change on resume, or null when it can.</summary>
    public static string? FixedOnResume(string key) => key switch
    {
        "seed" => "it seeds the run's random streams (data order, augmentation, image pool, libtorch), which a resume continues from the checkpoint",
        "model.init_type" or "model.init_gain" => "it only initialises the networks of a new run; a resumed run keeps its trained weights",
        "train.epoch_count" => "it numbers the first epoch of a new run; to restart the epoch count of a resumed run use --epoch-count N",
        "data.direction" => "it would swap what the trained generators translate from and to",
        _ => null,
    };

    /// <summary>
    /// The settings a resume of <paramref name="run"/> changes, to be logged (the runs folder, which only says where the
    /// run lives, left out); a change of the architecture or of a setting fixed on resume is refused, every one named.
    /// </summary>
    public static IReadOnlyList<ConfigDifference> Check(CycleGanConfig stored, CycleGanConfig now, string run)
    {
        var differences = ConfigDifferences.Between(stored, now);
        var architecture = differences.Where(d => IsArchitecture(d.Key)).ToList();
        if (architecture.Count > 0)
        {
            throw new ConfigException($"cannot resume {run}: the config changes the architecture of the checkpointed networks: " +
                                      string.Join("; ", architecture.Select(d => $"{d.Key} {d.Stored} in the checkpoint, {d.Now} now")) +
                                      ". Start a new run (another --name) for a different architecture.");
        }

        var fixedOnResume = differences.Where(d => FixedOnResume(d.Key) is not null).ToList();
        if (fixedOnResume.Count > 0)
        {
            throw new ConfigException($"cannot resume {run} with these settings changed: " +
                                      string.Join("; ", fixedOnResume.Select(d => $"{d.Key} {d.Stored} in the checkpoint, {d.Now} now ({FixedOnResume(d.Key)})")) +
                                      ". Leave them as they were, or start a new run (another --name).");
        }

        return differences.Where(d => d.Key != "output.runs_dir").ToList();
    }
}
