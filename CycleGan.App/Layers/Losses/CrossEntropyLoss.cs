namespace CycleGan.App.Layers;

/// <summary>
/// CrossEntropyLoss(weight, ignore_index = -100, reduction = "mean", label_smoothing = 0): log-softmax over dim 1 (dim 0
/// for an unbatched (C) input) against class indices (int64, the input's shape without C) or class probabilities (the
/// input's shape). The weighted mean divides by the summed weights of the counted targets, as PyTorch.
/// </summary>
public sealed class CrossEntropyLoss : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Tensor? classWeight;

    public CrossEntropyLoss(Tensor? weight = null, long ignore_index = -100, string reduction = "mean", double label_smoothing = 0.0)
        : base(nameof(CrossEntropyLoss))
    {
        if (weight is not null && weight.dim() != 1)
        {
            throw new ArgumentException($"weight must be 1-D (one per class), got shape [{string.Join(", ", weight.shape)}]", nameof(weight));
        }

        classWeight = weight;
        IgnoreIndex = ignore_index;
        Reduction = Reductions.Parse(reduction);
        LabelSmoothing = label_smoothing is >= 0 and <= 1
            ? label_smoothing
            : throw new ArgumentException($"label_smoothing must be in [0, 1], got {label_smoothing}", nameof(label_smoothing));
    }

    public long IgnoreIndex { get; }

    public nn.Reduction Reduction { get; }

    public double LabelSmoothing { get; }

    public override Tensor forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (input.dim() < 1)
        {
            throw new ArgumentException("CrossEntropyLoss needs an input with a class dimension", nameof(input));
        }

        long classes = input.dim() == 1 ? input.shape[0] : input.shape[1];
        if (classWeight is not null && classWeight.shape[0] != classes)
        {
            throw new ArgumentException($"weight has {classWeight.shape[0]} entries but the input has {classes} classes", "weight");
        }

        bool probabilities = target.is_floating_point();
        long[] expected = probabilities ? input.shape : input.dim() == 1 ? [] : [input.shape[0], .. input.shape[2..]];
        if (!target.shape.SequenceEqual(expected))
        {
            throw new ArgumentException(
                $"CrossEntropyLoss: target shape [{string.Join(", ", target.shape)}] does not fit input [{string.Join(", ", input.shape)}]; " +
                $"expected [{string.Join(", ", expected)}] ({(probabilities ? "class probabilities" : "class indices")})", nameof(target));
        }

        if (!probabilities)
        {
            using var scope = torch.NewDisposeScope();
            var counted = target.ne(Scalars.Of(IgnoreIndex));
            if (counted.any().item<bool>() && (target.masked_select(counted).lt(Scalars.Of(0)).any().item<bool>() || target.masked_select(counted).ge(Scalars.Of(classes)).any().item<bool>()))
            {
                throw new ArgumentException($"CrossEntropyLoss: a target class index is outside 0..{classes - 1}", nameof(target));
            }
        }

        Tensor? w = classWeight?.to(input.dtype, input.device);
        return nn.functional.cross_entropy(input, target, w, IgnoreIndex, Reduction, LabelSmoothing);
    }
}
