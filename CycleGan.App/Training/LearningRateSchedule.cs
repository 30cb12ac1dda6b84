using CycleGan.App.Config;

namespace CycleGan.App.Training;

/// <summary>
/// The reference's learning-rate policies as a pure function of the epoch, so that a resumed run recomputes the rate
/// instead of restoring hidden scheduler state (plateau, which depends on the losses, keeps its state explicitly).
/// Epochs count from 1; the rate returned applies to the whole of that epoch.
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>The multiplier of the initial lr for epoch <paramref name="epoch"/> under linear, step or cosine.</summary>
    public static double Factor(TrainConfig train, int epoch)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epoch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epochs count from 1");
        }

        int done = epoch - 1; // epochs completed before this one
        return train.LrPolicy switch
        {
            // constant for n_epochs, then linearly towards 0 over n_epochs_decay
            "linear" => 1.0 - (Math.Max(0, epoch - train.NEpochs) / (double)(train.NEpochsDecay + 1)),
            // x0.1 every lr_decay_iters epochs
            "step" => Math.Pow(0.1, done / train.LrDecayIters),
            // CosineAnnealingLR(T_max = n_epochs, eta_min = 0): 1 -> 0 over n_epochs; like the reference's scheduler,
            // it rises again during any decay epochs that follow (the cosine is periodic)
            "cosine" => 0.5 * (1 + Math.Cos(Math.PI * done / Math.Max(1, train.NEpochs))),
            "plateau" => throw new InvalidOperationException("the plateau policy depends on the losses: use PlateauSchedule"),
            _ => throw new ArgumentException(ConfigRules.OneOf("train.lr_policy", train.LrPolicy, TrainConfig.LrPolicies), nameof(train)),
        };
    }
}

/// <summary>
/// ReduceLROnPlateau as the reference configures it (mode min, factor 0.2, relative threshold 0.01, patience 5):
/// the rate is multiplied by 0.2 when the monitored loss has not improved by 1% for more than 5 epochs.
/// </summary>
public sealed class PlateauSchedule
{
    public const double Reduction = 0.2;
    public const double Threshold = 0.01;
    public const int Patience = 5;

    public double Factor { get; private set; } = 1.0;

    public double Best { get; private set; } = double.PositiveInfinity;

    public int BadEpochs { get; private set; }

    public void Step(double loss)
    {
        if (loss < Best * (1 - Threshold))
        {
            Best = loss;
            BadEpochs = 0;
            return;
        }

        if (++BadEpochs > Patience)
        {
            Factor *= Reduction;
            BadEpochs = 0;
        }
    }

    public (double Factor, double Best, int BadEpochs) Save() => (Factor, Best, BadEpochs);

    public void Restore((double Factor, double Best, int BadEpochs) state) => (Factor, Best, BadEpochs) = state;
}
