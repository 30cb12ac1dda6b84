namespace CycleGan.Kernels;

/// <summary>
/// Batch and instance normalisation of NCHW tensors as one computation over groups of elements: a group is a channel
/// across the batch (batch norm) or one sample's channel (instance norm). Training normalises by the group's mean and
/// biased variance, with the full backward through both; eval uses given statistics, with an affine backward.
/// </summary>
public static class NormKernels
{
    public sealed record Result(RefTensor Output, double[] Mean, double[] BiasedVar, int GroupSize);

    public sealed record Grads(RefTensor Input, RefTensor? Weight, RefTensor? Bias);

    /// <summary>The flat offsets of each group, and the channel each group belongs to.</summary>
    public static (int[][] Groups, int[] Channel) Groups(int[] shape, bool perInstance)
    {
        int n = shape[0], c = shape[1], plane = shape[2] * shape[3];
        var groups = new List<int[]>();
        var channel = new List<int>();
        if (perInstance)
        {
            for (int b = 0; b < n; b++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    groups.Add(Enumerable.Range(((b * c) + ch) * plane, plane).ToArray());
                    channel.Add(ch);
                }
            }
        }
        else
        {
            for (int ch = 0; ch < c; ch++)
            {
                groups.Add(Enumerable.Range(0, n).SelectMany(b => Enumerable.Range(((b * c) + ch) * plane, plane)).ToArray());
                channel.Add(ch);
            }
        }

        return (groups.ToArray(), channel.ToArray());
    }

    public static Result TrainForward(RefTensor x, RefTensor? weight, RefTensor? bias, double eps, bool perInstance)
    {
        var (groups, channel) = Groups(x.Shape, perInstance);
        var y = RefTensor.ZerosLike(x);
        var means = new double[groups.Length];
        var vars = new double[groups.Length];
        for (int g = 0; g < groups.Length; g++)
        {
            double mean = groups[g].Average(o => x.Data[o]);
            double var = groups[g].Average(o => (x.Data[o] - mean) * (x.Data[o] - mean));
            (means[g], vars[g]) = (mean, var);
            Normalize(x, y, groups[g], mean, var, eps, weight?.Data[channel[g]] ?? 1, bias?.Data[channel[g]] ?? 0);
        }

        return new Result(y, means, vars, groups[0].Length);
    }

    public static RefTensor EvalForward(RefTensor x, RefTensor? weight, RefTensor? bias, RefTensor runningMean, RefTensor runningVar, double eps, bool perInstance)
    {
        var (groups, channel) = Groups(x.Shape, perInstance);
        var y = RefTensor.ZerosLike(x);
        for (int g = 0; g < groups.Length; g++)
        {
            int ch = channel[g];
            Normalize(x, y, groups[g], runningMean.Data[ch], runningVar.Data[ch], eps, weight?.Data[ch] ?? 1, bias?.Data[ch] ?? 0);
        }

        return y;
    }

    /// <summary>Backward of the training form: dx = invstd/N (N dxhat - sum dxhat - xhat sum(dxhat xhat)), dxhat = g * gamma.</summary>
    public static Grads TrainBackward(RefTensor x, RefTensor? weight, bool hasBias, Result forward, double eps, RefTensor gradOutput, bool perInstance)
    {
        var (groups, channel) = Groups(x.Shape, perInstance);
        int channels = x.Shape[1];
        var gx = RefTensor.ZerosLike(x);
        var gw = new RefTensor(channels);
        var gb = new RefTensor(channels);
        for (int g = 0; g < groups.Length; g++)
        {
            int ch = channel[g];
            double invstd = 1 / Math.Sqrt(forward.BiasedVar[g] + eps);
            double gamma = weight?.Data[ch] ?? 1;
            double sumD = 0, sumDX = 0;
            int count = groups[g].Length;
            foreach (int o in groups[g])
            {
                double xhat = (x.Data[o] - forward.Mean[g]) * invstd;
                double d = gradOutput.Data[o] * gamma;
                sumD += d;
                sumDX += d * xhat;
                gw.Data[ch] += gradOutput.Data[o] * xhat;
                gb.Data[ch] += gradOutput.Data[o];
            }

            foreach (int o in groups[g])
            {
                double xhat = (x.Data[o] - forward.Mean[g]) * invstd;
                double d = gradOutput.Data[o] * gamma;
                gx.Data[o] = invstd / count * ((count * d) - sumD - (xhat * sumDX));
            }
        }

        return new Grads(gx, weight is null ? null : gw, hasBias ? gb : null);
    }

    public static Grads EvalBackward(RefTensor x, RefTensor? weight, bool hasBias, RefTensor runningMean, RefTensor runningVar, double eps, RefTensor gradOutput, bool perInstance)
    {
        var (groups, channel) = Groups(x.Shape, perInstance);
        var gx = RefTensor.ZerosLike(x);
        var gw = new RefTensor(x.Shape[1]);
        var gb = new RefTensor(x.Shape[1]);
        for (int g = 0; g < groups.Length; g++)
        {
            int ch = channel[g];
            double invstd = 1 / Math.Sqrt(runningVar.Data[ch] + eps);
            foreach (int o in groups[g])
            {
                gx.Data[o] = gradOutput.Data[o] * (weight?.Data[ch] ?? 1) * invstd;
                gw.Data[ch] += gradOutput.Data[o] * (x.Data[o] - runningMean.Data[ch]) * invstd;
                gb.Data[ch] += gradOutput.Data[o];
            }
        }

        return new Grads(gx, weight is null ? null : gw, hasBias ? gb : null);
    }

    /// <summary>running = (1 - f) running + f statistic, with the unbiased variance; per channel, averaging instance groups.</summary>
    public static (RefTensor Mean, RefTensor Var) UpdateRunning(RefTensor runningMean, RefTensor runningVar, Result forward, int[] shape, bool perInstance, double factor)
    {
        int channels = shape[1];
        var (_, channel) = Groups(shape, perInstance);
        var mean = new double[channels];
        var var = new double[channels];
        var counts = new int[channels];
        double correction = forward.GroupSize / (double)(forward.GroupSize - 1);
        for (int g = 0; g < channel.Length; g++)
        {
            mean[channel[g]] += forward.Mean[g];
            var[channel[g]] += forward.BiasedVar[g] * correction;
            counts[channel[g]]++;
        }

        var newMean = new RefTensor(channels);
        var newVar = new RefTensor(channels);
        for (int ch = 0; ch < channels; ch++)
        {
            newMean.Data[ch] = ((1 - factor) * runningMean.Data[ch]) + (factor * mean[ch] / counts[ch]);
            newVar.Data[ch] = ((1 - factor) * runningVar.Data[ch]) + (factor * var[ch] / counts[ch]);
        }

        return (newMean, newVar);
    }

    private static void Normalize(RefTensor x, RefTensor y, int[] group, double mean, double var, double eps, double gamma, double beta)
    {
        double invstd = 1 / Math.Sqrt(var + eps);
        foreach (int o in group)
        {
            y.Data[o] = ((x.Data[o] - mean) * invstd * gamma) + beta;
        }
    }
}
