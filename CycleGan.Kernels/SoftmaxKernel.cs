namespace CycleGan.Kernels;

/// <summary>Softmax along one dimension: y = exp(x - max) / sum exp(x - max); dx = y * (g - sum(g * y)).</summary>
public static class SoftmaxKernel
{
    public static RefTensor Forward(RefTensor input, int dim)
    {
        var output = RefTensor.ZerosLike(input);
        ForEachSlice(input, dim, (offsets) =>
        {
            double max = double.NegativeInfinity;
            foreach (int o in offsets)
            {
                max = Math.Max(max, input.Data[o]);
            }

            double sum = 0;
            foreach (int o in offsets)
            {
                output.Data[o] = Math.Exp(input.Data[o] - max);
                sum += output.Data[o];
            }

            foreach (int o in offsets)
            {
                output.Data[o] /= sum;
            }
        });
        return output;
    }

    public static RefTensor Backward(RefTensor output, RefTensor gradOutput, int dim)
    {
        var grad = RefTensor.ZerosLike(output);
        ForEachSlice(output, dim, offsets =>
        {
            double dot = 0;
            foreach (int o in offsets)
            {
                dot += gradOutput.Data[o] * output.Data[o];
            }

            foreach (int o in offsets)
            {
                grad.Data[o] = output.Data[o] * (gradOutput.Data[o] - dot);
            }
        });
        return grad;
    }

    /// <summary>Calls <paramref name="body"/> with the flat offsets of every 1-D slice along <paramref name="dim"/>.</summary>
    internal static void ForEachSlice(RefTensor t, int dim, Action<int[]> body)
    {
        int rank = Math.Max(1, t.Rank);
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"out of range for rank {t.Rank}");
        }

        if (t.Rank == 0)
        {
            body([0]);
            return;
        }

        int size = t.Shape[d];
        int inner = 1;
        for (int i = d + 1; i < t.Rank; i++)
        {
            inner *= t.Shape[i];
        }

        int outer = t.Count / Math.Max(1, size * inner);
        var offsets = new int[size];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                for (int k = 0; k < size; k++)
                {
                    offsets[k] = (((o * size) + k) * inner) + i;
                }

                body(offsets);
            }
        }
    }
}
