using CycleGan.App.Config;

namespace CycleGan.App.Training;

/// <summary>
/// The adversarial objective, as the reference's gan_mode: "lsgan" is the mean squared distance of the
/// discriminator's patch outputs from 1 (real) or 0 (fake); "vanilla" is binary cross-entropy on the logits;
/// "wgangp" is the Wasserstein critic loss, -mean for real and +mean for fake. (The reference's cycle_gan model uses
/// the wgangp mode's loss without adding a gradient penalty; so does this trainer.)
/// </summary>
public sealed class GanLoss
{
    public GanLoss(string mode)
    {
        if (!TrainConfig.GanModes.Contains(mode, StringComparer.Ordinal))
        {
            throw new ArgumentException(ConfigRules.OneOf("train.gan_mode", mode, TrainConfig.GanModes), nameof(mode));
        }

        Mode = mode;
    }

    public string Mode { get; }

    /// <summary>The loss of <paramref name="prediction"/> (any shape) for the target "real" or "fake".</summary>
    public Tensor Of(Tensor prediction, bool targetIsReal)
    {
        switch (Mode)
        {
            case "lsgan":
            case "vanilla":
                using (Tensor target = targetIsReal ? torch.ones_like(prediction) : torch.zeros_like(prediction))
                {
                    return Mode == "lsgan"
                        ? nn.functional.mse_loss(prediction, target)
                        : nn.functional.binary_cross_entropy_with_logits(prediction, target);
                }

            default:
                return targetIsReal ? -prediction.mean() : prediction.mean();
        }
    }
}
