namespace CycleGan.Kernels;

/// <summary>
/// Padding of the last two dims of an NCHW tensor by (left, right, top, bottom) in one of PyTorch's modes. Each output
/// pixel copies one input pixel (or is zero), so the backward adds each output gradient to the pixel it came from.
/// </summary>
public static class Pad2dKernel
{
    public sealed record Args(int Left, int Right, int Top, int Bottom, string Mode = "zeros");

    /// <summary>The input index an output index reads, or -1 for a zero (mode zeros).</summary>
    public static int Source(int outIndex, int before, int size, string mode)
    {
        int i = outIndex - before;
        if (i >= 0 && i < size)
        {
            return i;
        }

        return mode switch
        {
            "zeros" => -1,
            "reflect" => i < 0 ? -i : (2 * (size - 1)) - i,
            "replicate" => i < 0 ? 0 : size - 1,
            "circular" => ((i % size) + size) % size,
            _ => throw new ArgumentException($"unknown padding mode '{mode}'", nameof(mode)),
        };
    }

    public static RefTensor Forward(RefTensor input, Args a)
    {
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        var output = new RefTensor(n, c, h + a.Top + a.Bottom, w + a.Left + a.Right);
        foreach (var (b, ch, y, x, sy, sx) in Copies(output.Shape, h, w, a))
        {
            output[b, ch, y, x] = sy < 0 || sx < 0 ? 0 : input[b, ch, sy, sx];
        }

        return output;
    }

    public static RefTensor Backward(RefTensor gradOutput, int[] inputShape, Args a)
    {
        var grad = new RefTensor(inputShape);
        foreach (var (b, ch, y, x, sy, sx) in Copies(gradOutput.Shape, inputShape[2], inputShape[3], a))
        {
            if (sy >= 0 && sx >= 0)
            {
                grad[b, ch, sy, sx] += gradOutput[b, ch, y, x];
            }
        }

        return grad;
    }

    /// <summary>Every output pixel of <paramref name="outputShape"/> with the input pixel (sy, sx) it copies; -1 for a zero.</summary>
    private static IEnumerable<(int B, int Ch, int Y, int X, int Sy, int Sx)> Copies(int[] outputShape, int h, int w, Args a)
    {
        for (int b = 0; b < outputShape[0]; b++)
        {
            for (int ch = 0; ch < outputShape[1]; ch++)
            {
                for (int y = 0; y < outputShape[2]; y++)
                {
                    int sy = Source(y, a.Top, h, a.Mode);
                    for (int x = 0; x < outputShape[3]; x++)
                    {
                        yield return (b, ch, y, x, sy, Source(x, a.Left, w, a.Mode));
                    }
                }
            }
        }
    }
}
