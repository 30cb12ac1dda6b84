using System.Diagnostics;
using CycleGan.App.Devices;
using CycleGan.App.Layers;

namespace CycleGan.App.Verification;

/// <summary>One compared tensor: its float32 error against float64 on the chosen path and on the reference path.</summary>
public sealed record TensorError(string Name, double Error, double? Baseline, double Tolerance)
{
    public bool Passed => Error <= Tolerance;
}

/// <summary>The outcome of checking one network at one input shape.</summary>
public sealed record NetworkCheckResult(string Network, long[] InputShape, IReadOnlyList<TensorError> Tensors, TimeSpan Elapsed)
{
    public bool Passed => Tensors.All(t => t.Passed);

    /// <summary>
    /// The same tensors' errors with the network's convolutions in bfloat16; empty where not measured. Shown, not judged:
    /// each convolution is held to its derived elementwise bound (<see cref="Layers.ConvolutionLayout.Bf16Error"/>) where
    /// it runs, but through a network the roundings compound (normalisation backward cancels, the gradients of biases
    /// that a normalisation removes are pure rounding), and no tolerance follows from the bound.
    /// </summary>
    public IReadOnlyList<TensorError> Bf16Tensors { get; init; } = [];

    public TensorError Worst => Tensors.MaxBy(t => t.Error / t.Tolerance)!;

    public string Shape => string.Join("x", InputShape);
}

/// <summary>
/// A whole network in float32 on the CPU convolution path this process chose, against the same network in float64:
/// its output, the gradient reaching its input and every parameter's gradient, for one input and one upstream
/// gradient. A tensor's error is its relative L2 distance, ||float32 - float64|| / ||float64||, and each is shown
/// beside the error of the same float32 computation on the reference path (oneDNN off, NCHW).
/// </summary>
/// <remarks>
/// Two tolerances, because the forward pass is continuous in its inputs and the backward pass is not. The output may
/// be at most <see cref="BaselineFactor"/> times the reference path's error (or <see cref="OutputFloor"/>): oneDNN
/// accumulates in another order and measured about 2x the reference path's error on the ResNet here. A gradient
/// can jump on rounding alone: where a ReLU's input lies within float32's rounding of zero, float32 and float64 take
/// different sides, and that element's whole gradient is passed in one and dropped in the other. With about a
/// million ReLU inputs in a ResNet-9 at 64x64 this happens about once per run, on either path (measured: relative
/// errors of 4e-4 to 1.1e-2 in the gradients it reaches, each time from a single flip). So a gradient passes within
/// <see cref="BaselineFactor"/> times the reference path's error or within <see cref="GradientFloor"/>. A wrong kernel
/// misses by far more: the oneDNN fault this guards against gives errors near 1, or NaN. <see cref="NetworkChecks.Run"/>
/// also repeats a failed case with other weights and inputs and fails only a case that fails on most draws.
/// Without the reference path (the short check at the start of training, which must not flip process-wide switches
/// while other work may be running) the floors alone judge, the output's at <see cref="StandaloneOutputFloor"/>.
/// </remarks>
public static class NetworkCheck
{
    public const double BaselineFactor = 4.0;

    /// <summary>An output error this small passes whatever the reference path's error happened to be.</summary>
    public const double OutputFloor = 1e-5;

    /// <summary>The output's tolerance without a reference run: 10x and more what the paths measured here.</summary>
    public const double StandaloneOutputFloor = 1e-4;

    /// <summary>A gradient error this small passes: rounding and the odd ReLU sign flip (see the remarks).</summary>
    public const double GradientFloor = 5e-2;

    /// <summary>
    /// A gradient that is zero in exact arithmetic (a convolution bias right before a normalisation that removes it)
    /// holds only rounding noise; errors are measured relative to at least this fraction of the network's largest
    /// gradient norm, so that such noise is not compared with itself.
    /// </summary>
    public const double ScaleFloor = 1e-4;


    /// <summary>
    /// Builds the network twice (float32 and float64, same weights drawn from <paramref name="seed"/>: normal(0, 0.02)
    /// for weights and biases, normal(1, 0.02) for normalisation scales), runs both in training mode, and compares.
    /// The factory must not use dropout: its masks would differ between the runs.
    /// </summary>
    public static NetworkCheckResult Run(string name, Func<nn.Module<Tensor, Tensor>> build, long[] inputShape, long seed, bool withReference = true,
        bool bf16 = false)
    {
        ArgumentNullException.ThrowIfNull(build);
        var clock = Stopwatch.StartNew();
        using var scope = torch.NewDisposeScope();
        var generator = new Generator((ulong)seed);
        using var net32 = build();
        using var net64 = build();
        Initialise(net32, generator);
        CopyState(net32, net64);
        net64.to(ScalarType.Float64);
        net32.train();
        net64.train();

        Tensor x64 = torch.empty(inputShape, dtype: ScalarType.Float64).uniform_(-1, 1, generator);
        var exact = Pass(net64, x64, null, generator);
        Tensor x32 = x64.to(ScalarType.Float32);
        Tensor upstream32 = exact.Upstream.to(ScalarType.Float32);
        Results? baseline = null;
        if (withReference)
        {
            using (TorchRuntime.Use(CpuConvolutionPath.OneDnnOff))
            {
                baseline = Pass(net32, x32, upstream32, generator);
            }
        }

        var chosen = Pass(net32, x32, upstream32, generator);
        double gradientScale = exact.Gradients.Values.Max(g => g.norm().item<double>()) * ScaleFloor;
        var tensors = new List<TensorError>
        {
            Compare("output", chosen.Output, baseline?.Output, exact.Output, 0, withReference ? OutputFloor : StandaloneOutputFloor),
            Compare("input gradient", chosen.InputGradient, baseline?.InputGradient, exact.InputGradient, 0, GradientFloor),
        };
        foreach (var (key, exactGradient) in exact.Gradients)
        {
            tensors.Add(Compare(key, chosen.Gradients[key], baseline?.Gradients[key], exactGradient, gradientScale, GradientFloor));
        }

        var bf16Tensors = new List<TensorError>();
        if (bf16)
        {
            net32.WithConvolutionPrecision(ConvolutionPrecision.Bf16);
            var inBf16 = Pass(net32, x32, upstream32, generator);
            net32.WithConvolutionPrecision(ConvolutionPrecision.Fp32);
            bf16Tensors.Add(Compare("output", inBf16.Output, null, exact.Output, 0, double.PositiveInfinity));
            bf16Tensors.Add(Compare("input gradient", inBf16.InputGradient, null, exact.InputGradient, 0, double.PositiveInfinity));
            foreach (var (key, exactGradient) in exact.Gradients)
            {
                bf16Tensors.Add(Compare(key, inBf16.Gradients[key], null, exactGradient, gradientScale, double.PositiveInfinity));
            }
        }

        return new(name, inputShape, tensors, clock.Elapsed) { Bf16Tensors = bf16Tensors };
    }

    private static TensorError Compare(string name, Tensor chosen, Tensor? baseline, Tensor exact, double scale, double floor)
    {
        double denominator = Math.Max(Math.Max(exact.norm().item<double>(), scale), 1e-30);
        double Error(Tensor t)
        {
            double e = (t.to(ScalarType.Float64) - exact).norm().item<double>() / denominator;
            return double.IsNaN(e) ? double.PositiveInfinity : e;
        }

        double? b = baseline is null ? null : Error(baseline);
        return new(name, Error(chosen), b, Math.Max(BaselineFactor * (b ?? 0), floor));
    }

    private sealed record Results(Tensor Output, Tensor InputGradient, Dictionary<string, Tensor> Gradients, Tensor Upstream);

    /// <summary>Forward and backward; the upstream gradient is drawn on the first (float64) pass and reused after.</summary>
    private static Results Pass(nn.Module<Tensor, Tensor> net, Tensor x, Tensor? upstream, Generator generator)
    {
        net.zero_grad();
        Tensor input = x.detach().clone().requires_grad_();
        Tensor output = net.call(input);
        upstream ??= torch.empty(output.shape, dtype: output.dtype).uniform_(-0.5, 0.5, generator);
        output.backward([upstream]);
        var gradients = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        return new(output.detach(), input.grad!.detach().clone(), gradients, upstream);
    }

    private static void Initialise(nn.Module net, Generator generator)
    {
        using var noGrad = torch.no_grad();
        foreach (var (key, p) in net.named_parameters())
        {
            bool scale = p.dim() == 1 && key.EndsWith("weight", StringComparison.Ordinal);
            p.normal_(scale ? 1.0 : 0.0, 0.02, generator);
        }
    }

    private static void CopyState(nn.Module from, nn.Module to)
    {
        using var noGrad = torch.no_grad();
        var source = from.state_dict();
        foreach (var (key, t) in to.state_dict())
        {
            t.copy_(source[key]);
        }
    }
}
