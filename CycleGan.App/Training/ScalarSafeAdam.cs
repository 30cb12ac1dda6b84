using CycleGan.App.Layers;

namespace CycleGan.App.Training;

/// <summary>
/// TorchSharp's Adam with its update rule rewritten so that every Scalar it hands libtorch stays alive through the
/// call. TorchSharp 0.107's own step passes numbers (<c>mul_(beta1)</c>, <c>add_(eps)</c>, <c>value: -step_size</c>)
/// as temporary Scalars that only the finalizer frees; a garbage collection on another thread during the step freed
/// them under libtorch ("Unknown scalar type", or a wrong value read silently). Everything else is TorchSharp's: the
/// parameter groups, the per-parameter state (step, exp_avg, exp_avg_sq) and its save/load format, so checkpoints
/// written with TorchSharp's Adam load unchanged.
/// </summary>
public sealed class ScalarSafeAdam : TorchSharp.Modules.Adam
{
    public ScalarSafeAdam(IEnumerable<TorchSharp.Modules.Parameter> parameters, double lr, double beta1, double beta2)
        : base(parameters, lr, beta1, beta2)
    {
    }

    /// <summary>One update: <see cref="step"/> under a name the analyzer lets through (a call to step binds to the base
    /// Adam.step, which BannedSymbols.TorchSharp.txt lists).</summary>
    public void Update()
    {
#pragma warning disable RS0030 // dispatches to the override below
        step();
#pragma warning restore RS0030
    }

    /// <summary>One update, PyTorch's (and TorchSharp's) arithmetic in the same order: the moments, then
    /// param -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).</summary>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        if (options.amsgrad == true || options.maximize == true || options.weight_decay is not (null or 0.0))
        {
            // Never set by this project; a state from elsewhere that asks for them must not be half-honoured.
            throw new NotSupportedException("Adam with amsgrad, maximize or weight decay is not supported");
        }

        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value;
        foreach (var param in group.Parameters)
        {
            using Tensor? grad = param.grad;
            if (grad is null)
            {
                continue;
            }

            var state = (State)_state[param.Handle];
            state.step += 1;
            state.exp_avg.mul_(Scalars.Of(beta1)).add_(grad, Scalars.Of(1 - beta1));
            state.exp_avg_sq.mul_(Scalars.Of(beta2)).addcmul_(grad, grad, Scalars.Of(1 - beta2));

            // These two change every step, so they are made here and freed here, not cached.
            using Scalar correction2 = Math.Sqrt(1 - Math.Pow(beta2, state.step)).ToScalar();
            using Scalar stepSize = (-options.LearningRate!.Value / (1 - Math.Pow(beta1, state.step))).ToScalar();
            using Tensor denominator = state.exp_avg_sq.sqrt();
            denominator.div_(correction2).PlusInPlace(Scalars.Of(options.eps!.Value));
            param.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}
