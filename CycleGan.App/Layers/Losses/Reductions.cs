namespace CycleGan.App.Layers;

/// <summary>PyTorch's loss reductions by name.</summary>
public static class Reductions
{
    public static readonly string[] All = ["none", "mean", "sum"];

    public static nn.Reduction Parse(string reduction) => reduction switch
    {
        "none" => nn.Reduction.None,
        "mean" => nn.Reduction.Mean,
        "sum" => nn.Reduction.Sum,
        _ => throw new ArgumentException($"reduction must be one of none, mean, sum; got '{reduction}'", nameof(reduction)),
    };

    /// <summary>Element-wise losses compare tensors of one shape; PyTorch would broadcast with a warning, here it is an error.</summary>
    public static void SameShape(Tensor input, Tensor target, string layer)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.shape.SequenceEqual(target.shape))
        {
            throw new ArgumentException(
                $"{layer}: target shape [{string.Join(", ", target.shape)}] differs from input shape [{string.Join(", ", input.shape)}]", nameof(target));
        }
    }
}

/// <summary>L1Loss(reduction = "mean"): |input - target|, reduced.</summary>
public sealed class L1Loss(string reduction = "mean") : nn.Module<Tensor, Tensor, Tensor>(nameof(L1Loss))
{
    public nn.Reduction Reduction { get; } = Reductions.Parse(reduction);

    public override Tensor forward(Tensor input, Tensor target)
    {
        Reductions.SameShape(input, target, nameof(L1Loss));
        return nn.functional.l1_loss(input, target, Reduction);
    }
}

/// <summary>MSELoss(reduction = "mean"): (input - target)^2, reduced; the LSGAN adversarial loss.</summary>
public sealed class MSELoss(string reduction = "mean") : nn.Module<Tensor, Tensor, Tensor>(nameof(MSELoss))
{
    public nn.Reduction Reduction { get; } = Reductions.Parse(reduction);

    public override Tensor forward(Tensor input, Tensor target)
    {
        Reductions.SameShape(input, target, nameof(MSELoss));
        return nn.functional.mse_loss(input, target, Reduction);
    }
}
