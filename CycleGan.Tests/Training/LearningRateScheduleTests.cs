using CycleGan.App.Config;
using CycleGan.App.Training;

namespace CycleGan.Tests.Training;

public class LearningRateScheduleTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(100, 1.0)]
    [InlineData(101, 1 - (1 / 101.0))]
    [InlineData(150, 1 - (50 / 101.0))]
    [InlineData(200, 1 / 101.0)]
    public void Linear_is_constant_then_decays_towards_zero(int epoch, double expected)
    {
        var train = new TrainConfig { NEpochs = 100, NEpochsDecay = 100, LrPolicy = "linear" };
        Assert.Equal(expected, LearningRateSchedule.Factor(train, epoch), 12);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(50, 1.0)]
    [InlineData(51, 0.1)]
    [InlineData(101, 0.01)]
    public void Step_divides_by_ten_every_lr_decay_iters_epochs(int epoch, double expected)
    {
        var train = new TrainConfig { LrPolicy = "step", LrDecayIters = 50 };
        Assert.Equal(expected, LearningRateSchedule.Factor(train, epoch), 12);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(3, 0.5)]
    [InlineData(5, 0.0)]
    [InlineData(7, 0.5)]
    public void Cosine_follows_half_a_period_per_n_epochs(int epoch, double expected)
    {
        var train = new TrainConfig { LrPolicy = "cosine", NEpochs = 4, NEpochsDecay = 4 };
        Assert.Equal(expected, LearningRateSchedule.Factor(train, epoch), 12);
    }

    [Fact]
    public void Plateau_reduces_after_patience_epochs_without_a_one_percent_gain()
    {
        var p = new PlateauSchedule();
        p.Step(1.0);
        for (int i = 0; i < PlateauSchedule.Patience; i++)
        {
            p.Step(0.995); // under 1% better: not an improvement
            Assert.Equal(1.0, p.Factor);
        }

        p.Step(0.995);
        Assert.Equal(0.2, p.Factor, 12);
        p.Step(0.5);
        Assert.Equal(0.5, p.Best);
    }
}
