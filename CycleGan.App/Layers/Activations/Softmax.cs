namespace CycleGan.App.Layers;

/// <summary>Softmax(dim): exp(x_i) / sum_j exp(x_j) along dim (negative dims count from the end); each slice sums to 1.</summary>
public sealed class Softmax(long dim) : nn.Module<Tensor, Tensor>(nameof(Softmax))
{
    public long Dim { get; } = dim;

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long rank = Math.Max(1, input.dim());
        if (Dim < -rank || Dim >= rank)
        {
            throw new ArgumentException($"dim {Dim} is out of range for a {input.dim()}D input (allowed {-rank} to {rank - 1})", "dim");
        }

        return nn.functional.softmax(input, Dim);
    }
}
