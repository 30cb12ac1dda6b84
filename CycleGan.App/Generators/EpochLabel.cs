namespace CycleGan.App.Generators;

/// <summary>How a model's training progress is named to the user: a checkpoint records the epochs it completed, and a
/// checkpoint of an interrupted first epoch completed none, which "epoch 0" would misstate.</summary>
public static class EpochLabel
{
    /// <summary>"epoch 3", "within epoch 1 (no epoch completed)", or "epoch unknown" (weights without a record).</summary>
    public static string Of(int? completed) => completed switch
    {
        null => "epoch unknown",
        0 => "within epoch 1 (no epoch completed)",
        { } e => $"epoch {e}",
    };
}
