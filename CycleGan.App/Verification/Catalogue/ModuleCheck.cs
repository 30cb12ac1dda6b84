using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>How an input of a checked layer is given to TorchSharp.</summary>
public enum InputKind
{
    /// <summary>A floating-point input whose gradient is checked.</summary>
    Differentiable,

    /// <summary>A floating-point input without gradient (e.g. a regression target).</summary>
    Constant,

    /// <summary>An int64 input (class indices); the RefTensor holds the integers as doubles.</summary>
    Int64,
}

public sealed record CheckInput(string Name, RefTensor Value, InputKind Kind = InputKind.Differentiable);

/// <summary>
/// The memory layout of a case's 4-D tensors. Same values, other strides: a layer must give the same results in
/// every layout (libtorch's instance_norm did not: its backward is wrong when the gradient arriving is channels-last).
/// </summary>
public enum CheckLayout
{
    /// <summary>Inputs and the upstream gradient contiguous (NCHW).</summary>
    Contiguous,

    /// <summary>Inputs and the upstream gradient channels-last, as the channels-last convolution path hands them on.</summary>
    ChannelsLast,

    /// <summary>Inputs contiguous, the upstream gradient channels-last: a layer whose consumer runs channels-last.</summary>
    ChannelsLastGradient,
}

/// <summary>What the reference kernel receives: the inputs and the module's state exactly as TorchSharp had them.</summary>
public sealed record ReferenceCall(
    IReadOnlyList<RefTensor> Inputs,
    IReadOnlyDictionary<string, RefTensor> Parameters,
    IReadOnlyDictionary<string, RefTensor> Buffers,
    RefTensor? GradOutput);

/// <summary>
/// What the reference kernel computed. Outputs[0] is the differentiable output; further outputs (e.g. pooling
/// indices) are compared exactly. Gradients are keyed by input name and parameter name; Buffers holds the module's
/// buffers after the forward pass (e.g. BatchNorm's running statistics), keyed as TorchSharp names them.
/// </summary>
public sealed class ReferenceResult
{
    public required IReadOnlyList<RefTensor> Outputs { get; init; }

    public IReadOnlyDictionary<string, RefTensor> InputGradients { get; init; } = new Dictionary<string, RefTensor>();

    public IReadOnlyDictionary<string, RefTensor> ParameterGradients { get; init; } = new Dictionary<string, RefTensor>();

    public IReadOnlyDictionary<string, RefTensor> Buffers { get; init; } = new Dictionary<string, RefTensor>();
}

/// <summary>
/// The general cross-check: build the catalogue's TorchSharp module, run forward and (with a seeded upstream
/// gradient) backward, hand the very same inputs, parameters and buffers to the reference kernel, and compare every
/// output, every gradient and every buffer.
/// </summary>
public sealed class ModuleCheck : CheckCase
{
    public ModuleCheck(string name) : base(name)
    {
    }

    public required IReadOnlyList<CheckInput> Inputs { get; init; }

    /// <summary>Builds the module (already on the device, in the dtype, in train or eval mode as the case needs).</summary>
    public required Func<Device, ScalarType, nn.Module> Build { get; init; }

    /// <summary>Runs the module; the first tensor returned is the output whose gradient flows back.</summary>
    public required Func<nn.Module, Tensor[], Tensor[]> Forward { get; init; }

    public required Func<ReferenceCall, ReferenceResult> Reference { get; init; }

    /// <summary>False for layers without gradient.</summary>
    public bool Backward { get; init; } = true;

    /// <summary>Seeds TorchSharp (parameter initialisation) and the upstream gradient. Module constructors draw from
    /// libtorch's process-wide generator, which takes no per-call generator, so it is seeded here: a caller running checks
    /// beside other work that draws from it (the test suite) must keep them apart for a seed to reproduce a case.</summary>
    public int Seed { get; init; }

    /// <summary>Outputs after the first that hold integers (indices) and must match exactly.</summary>
    public bool ExtraOutputsExact { get; init; } = true;

    public CheckLayout Layout { get; init; }

    /// <summary>Whether any input is 4-D, so that the layout variants differ from the contiguous case.</summary>
    public bool HasImageInputs => Inputs.Any(i => i.Value.Rank == 4);

    /// <summary>The same case in another layout.</summary>
    public ModuleCheck In(CheckLayout layout) => new(layout == CheckLayout.Contiguous ? Name : $"{Name} [{LayoutName(layout)}]")
    {
        Inputs = Inputs, Build = Build, Forward = Forward, Reference = Reference, Backward = Backward, Seed = Seed,
        ExtraOutputsExact = ExtraOutputsExact, Layout = layout,
    };

    private static string LayoutName(CheckLayout layout) => layout == CheckLayout.ChannelsLast ? "channels-last" : "channels-last grad";

    private static Tensor Lay(Tensor t, bool channelsLast) => channelsLast && t.dim() == 4 ? ConvolutionLayout.ToChannelsLast(t) : t;

    public override IReadOnlyList<Comparison> Run(Device device, ScalarType dtype)
    {
        double tol = Tolerances.For(dtype);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(Seed);
        nn.Module module = Build(device, dtype);

        var parameters = module.named_parameters().ToList();
        var paramsBefore = parameters.ToDictionary(p => p.name, p => TensorConversion.ToRef(p.parameter));
        var buffersBefore = module.named_buffers().ToDictionary(b => b.name, b => TensorConversion.ToRef(b.buffer));

        var tensors = new Tensor[Inputs.Count];
        var refInputs = new RefTensor[Inputs.Count];
        for (int i = 0; i < Inputs.Count; i++)
        {
            CheckInput input = Inputs[i];
            Tensor t = Lay(TensorConversion.ToTorch(input.Value, input.Kind == InputKind.Int64 ? ScalarType.Int64 : dtype, device), Layout == CheckLayout.ChannelsLast);
            if (input.Kind == InputKind.Differentiable && Backward)
            {
                t.requires_grad_(true);
            }

            tensors[i] = t;
            refInputs[i] = TensorConversion.ToRef(t); // the values as rounded to the dtype
        }

        Tensor[] outputs = Forward(module, tensors);
        RefTensor? gradOutput = null;
        if (Backward)
        {
            var random = new Random(Seed ^ 0x5eed);
            gradOutput = RefTensor.Uniform(random, -1, 1, outputs[0].shape.Select(d => (int)d).ToArray());
            Tensor g = Lay(TensorConversion.ToTorch(gradOutput, dtype, device), Layout != CheckLayout.Contiguous);
            gradOutput = TensorConversion.ToRef(g);
            outputs[0].backward([g]);
        }

        ReferenceResult expected = Reference(new ReferenceCall(refInputs, paramsBefore, buffersBefore, gradOutput));
        var results = new List<Comparison>();
        if (expected.Outputs.Count != outputs.Length)
        {
            throw new InvalidOperationException($"{Name}: TorchSharp gave {outputs.Length} outputs, the reference {expected.Outputs.Count}");
        }

        for (int k = 0; k < outputs.Length; k++)
        {
            string quantity = k == 0 ? "output" : $"output[{k}]";
            RefTensor actual = TensorConversion.ToRef(outputs[k]);
            results.Add(k > 0 && ExtraOutputsExact
                ? Comparisons.Exact(quantity, actual, expected.Outputs[k])
                : Comparisons.Compare(quantity, actual, expected.Outputs[k], tol));
        }

        if (Backward)
        {
            for (int i = 0; i < Inputs.Count; i++)
            {
                if (Inputs[i].Kind != InputKind.Differentiable)
                {
                    continue;
                }

                string quantity = $"grad {Inputs[i].Name}";
                results.Add(expected.InputGradients.TryGetValue(Inputs[i].Name, out RefTensor? want)
                    ? CompareGradient(quantity, tensors[i].grad, want, tol)
                    : Missing(quantity, tol));
            }

            foreach (var (name, parameter) in parameters)
            {
                string quantity = $"grad {name}";
                results.Add(expected.ParameterGradients.TryGetValue(name, out RefTensor? want)
                    ? CompareGradient(quantity, parameter.grad, want, tol)
                    : Missing(quantity, tol));
            }
        }

        foreach (var (name, buffer) in module.named_buffers())
        {
            if (expected.Buffers.TryGetValue(name, out RefTensor? want))
            {
                results.Add(Comparisons.Compare($"buffer {name}", TensorConversion.ToRef(buffer), want, tol));
            }
        }

        return results;
    }

    private static Comparison CompareGradient(string quantity, Tensor? grad, RefTensor expected, double tol) =>
        grad is null
            ? new Comparison(quantity, double.NaN, double.NaN, tol, false, "TorchSharp computed no gradient")
            : Comparisons.Compare(quantity, TensorConversion.ToRef(grad), expected, tol);

    private static Comparison Missing(string quantity, double tol) =>
        new(quantity, double.NaN, double.NaN, tol, false, "the reference kernel gave no gradient");
}

/// <summary>The usual parameter gradients of a layer: its weight's and, when it has one, its bias's.</summary>
public static class WeightGradients
{
    public static Dictionary<string, RefTensor> Of(RefTensor weight, RefTensor? bias)
    {
        var grads = new Dictionary<string, RefTensor> { ["weight"] = weight };
        if (bias is not null)
        {
            grads["bias"] = bias;
        }

        return grads;
    }
}
