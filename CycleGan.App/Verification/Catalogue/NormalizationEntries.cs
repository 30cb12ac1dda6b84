using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>The normalisation checks: one configuration of either layer, its state primed so every term matters.</summary>
internal sealed record NormConfig(bool Affine, bool Track, double? Momentum, bool Training, int PriorBatches, int[] Shape, double Eps = 1e-5)
{
    public override string ToString() =>
        $"{(Training ? "train" : "eval")} affine={Affine} track={Track} momentum={(Momentum is double m ? m.ToString(System.Globalization.CultureInfo.InvariantCulture) : "None")} " +
        $"eps={Eps:G2} [{string.Join(",", Shape)}]";
}

internal static class NormCases
{
    public static IEnumerable<CheckCase> Make(Random random, IEnumerable<NormConfig> configs, bool perInstance, Func<NormConfig, int, nn.Module> create)
    {
        foreach (NormConfig c in configs)
        {
            RefTensor x = RefTensor.Uniform(random, -2, 3, c.Shape);
            int channels = c.Shape.Length == 3 ? c.Shape[0] : c.Shape[1];
            yield return new ModuleCheck(c.ToString())
            {
                Seed = random.Next(),
                Inputs = [new CheckInput("input", x)],
                Build = (device, dtype) =>
                {
                    nn.Module m = create(c, channels);
                    Prime(m, c.PriorBatches);
                    m.to(device, dtype);
                    m.train(c.Training);
                    return m;
                },
                Forward = (m, t) => [((nn.Module<Tensor, Tensor>)m).call(t[0])],
                Reference = call => Reference(c, call, perInstance),
            };
        }
    }

    /// <summary>Random affine parameters and running statistics, and a batch count as after some steps.</summary>
    private static void Prime(nn.Module m, int priorBatches)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, p) in m.named_parameters())
        {
            p.copy_(name == "weight" ? torch.empty(p.shape).uniform_(0.5, 1.5) : torch.empty(p.shape).uniform_(-0.5, 0.5));
        }

        foreach (var (name, b) in m.named_buffers())
        {
            if (name == "num_batches_tracked")
            {
                b.fill_(Scalars.Of(priorBatches));
            }
            else
            {
                b.copy_(name == "running_var" ? torch.empty(b.shape).uniform_(0.5, 1.5) : torch.empty(b.shape).uniform_(-0.5, 0.5));
            }
        }
    }

    private static ReferenceResult Reference(NormConfig c, ReferenceCall call, bool perInstance)
    {
        bool unbatched = call.Inputs[0].Rank == 3;
        RefTensor x = Unbatched.Add(call.Inputs[0]);
        RefTensor g = unbatched ? call.GradOutput!.Reshape([1, .. call.GradOutput.Shape]) : call.GradOutput!;
        RefTensor? weight = call.Parameters.GetValueOrDefault("weight");
        bool hasBias = call.Parameters.ContainsKey("bias");
        RefTensor? bias = call.Parameters.GetValueOrDefault("bias");
        var buffers = new Dictionary<string, RefTensor>();
        RefTensor y;
        NormKernels.Grads grads;
        if (c.Training || !c.Track)
        {
            var forward = NormKernels.TrainForward(x, weight, bias, c.Eps, perInstance);
            y = forward.Output;
            grads = NormKernels.TrainBackward(x, weight, hasBias, forward, c.Eps, g, perInstance);
            if (c.Training && c.Track)
            {
                double batches = call.Buffers["num_batches_tracked"].Data[0];
                // batch norm counts the step first and, without momentum, averages over all steps; instance norm
                // keeps its count and treats a missing momentum as 0
                double factor = perInstance ? c.Momentum ?? 0 : c.Momentum ?? (1 / (batches + 1));
                var (mean, var) = NormKernels.UpdateRunning(call.Buffers["running_mean"], call.Buffers["running_var"], forward, x.Shape, perInstance, factor);
                buffers["running_mean"] = mean;
                buffers["running_var"] = var;
                buffers["num_batches_tracked"] = RefTensor.Scalar(perInstance ? batches : batches + 1);
            }
        }
        else
        {
            RefTensor rm = call.Buffers["running_mean"], rv = call.Buffers["running_var"];
            y = NormKernels.EvalForward(x, weight, bias, rm, rv, c.Eps, perInstance);
            grads = NormKernels.EvalBackward(x, weight, hasBias, rm, rv, c.Eps, g, perInstance);
            buffers["running_mean"] = rm;
            buffers["running_var"] = rv;
        }

        var parameterGrads = new Dictionary<string, RefTensor>();
        if (grads.Weight is not null)
        {
            parameterGrads["weight"] = grads.Weight;
        }

        if (grads.Bias is not null)
        {
            parameterGrads["bias"] = grads.Bias;
        }

        return new ReferenceResult
        {
            Outputs = [Unbatched.Remove(y, unbatched)],
            InputGradients = new Dictionary<string, RefTensor> { ["input"] = Unbatched.Remove(grads.Input, unbatched) },
            ParameterGradients = parameterGrads,
            Buffers = buffers,
        };
    }
}

public sealed class BatchNorm2dEntry : LayerEntry
{
    public override string Name => "BatchNorm2d";

    public override string Construction => "Layers.BatchNorm2d -> nn.functional.batch_norm (momentum None: factor 1/num_batches_tracked)";

    public override string ReferenceKernel => nameof(NormKernels) + " (per channel)";

    public override string Parameters => "num_features, eps=1e-5, momentum=0.1|None, affine=True, track_running_stats=True";

    public override IEnumerable<CheckCase> Cases(int seed) => NormCases.Make(new Random(seed ^ 0xb47), Configs(), perInstance: false,
        (c, channels) => new BatchNorm2d(channels, c.Eps, c.Momentum, c.Affine, c.Track));

    private static IEnumerable<NormConfig> Configs() =>
    [
        new(true, true, 0.1, true, 0, [4, 3, 5, 6]),
        new(true, true, 0.3, true, 7, [2, 4, 3, 5]),
        new(true, true, null, true, 4, [3, 2, 4, 4]), // cumulative moving average: factor 1/5
        new(true, true, 0.1, false, 2, [2, 3, 4, 5]), // eval: running statistics
        new(false, true, 0.1, true, 1, [3, 3, 3, 4]),
        new(true, false, 0.1, true, 0, [2, 3, 5, 4]), // no running statistics
        new(true, false, 0.1, false, 0, [2, 3, 5, 4]), // eval without running statistics: batch statistics
        new(false, false, null, false, 0, [2, 2, 3, 3], 1e-3),
    ];
}

public sealed class InstanceNorm2dEntry : LayerEntry
{
    public override string Name => "InstanceNorm2d";

    public override string Construction => "Layers.InstanceNorm2d -> nn.functional.instance_norm (CHW inputs unsqueezed)";

    public override string ReferenceKernel => nameof(NormKernels) + " (per sample and channel)";

    public override string Parameters => "num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False";

    public override IEnumerable<CheckCase> Cases(int seed) => NormCases.Make(new Random(seed ^ 0x1a57), Configs(), perInstance: true,
        (c, channels) => new InstanceNorm2d(channels, c.Eps, c.Momentum, c.Affine, c.Track));

    private static IEnumerable<NormConfig> Configs() =>
    [
        new(false, false, 0.1, true, 0, [2, 3, 5, 6]), // the CycleGAN default
        new(false, false, 0.1, true, 0, [1, 4, 5, 6]), // batch 1, as CycleGAN trains (libtorch's instance_norm backward is wrong there for channels-last gradients)
        new(true, false, 0.1, true, 0, [3, 2, 4, 5]),
        new(false, false, 0.1, false, 0, [2, 3, 4, 4]), // eval without running statistics: instance statistics
        new(true, true, 0.1, true, 3, [3, 2, 4, 5]),
        new(false, true, 0.4, true, 0, [2, 3, 3, 5]),
        new(true, true, 0.1, false, 3, [2, 2, 4, 3]), // eval: running statistics
        new(true, false, 0.1, true, 0, [3, 5, 4]), // unbatched
    ];
}
