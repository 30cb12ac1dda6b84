namespace CycleGan.App.Layers;

/// <summary>Dropout(p = 0.5, inplace): in training zeroes each element with probability p and scales survivors by 1/(1-p); identity in eval.</summary>
public sealed class Dropout(double p = 0.5, bool inplace = false) : nn.Module<Tensor, Tensor>(nameof(Dropout))
{
    public double P { get; } = LayerArguments.Probability(p);

    public bool Inplace { get; } = inplace;

    public override Tensor forward(Tensor input) => nn.functional.dropout(input, P, training, Inplace);
}

/// <summary>Dropout2d(p = 0.5, inplace): in training zeroes whole channels of (N, C, H, W) or (C, H, W) inputs with probability p.</summary>
public sealed class Dropout2d(double p = 0.5, bool inplace = false) : nn.Module<Tensor, Tensor>(nameof(Dropout2d))
{
    public double P { get; } = LayerArguments.Probability(p);

    public bool Inplace { get; } = inplace;

    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(Dropout2d), [3, 4]);
        if (input.dim() == 3)
        {
            // one sample of C channels: drop channels, not the rows PyTorch's legacy 3-D rule would pick
            Tensor batched = nn.functional.dropout2d(input.unsqueeze(0), P, training, false).squeeze(0);
            return Inplace ? input.copy_(batched) : batched;
        }

        return nn.functional.dropout2d(input, P, training, Inplace);
    }
}
