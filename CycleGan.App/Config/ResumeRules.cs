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
}
