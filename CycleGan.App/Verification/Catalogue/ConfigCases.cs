using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>The cases of a one-input layer drawn from a list of configurations: each gets a uniform input in [-1, 1]
/// of its shape and a seed, both from one generator, so the same seed gives the same cases.</summary>
internal static class ConfigCases
{
    public static IEnumerable<CheckCase> Make<TConfig>(int seed, Func<Random, IEnumerable<TConfig>> configs, Func<TConfig, int[]> inputShape,
        Func<TConfig, nn.Module<Tensor, Tensor>> build, Func<TConfig, ReferenceCall, ReferenceResult> reference)
        where TConfig : notnull
    {
        var random = new Random(seed);
        foreach (TConfig c in configs(random))
        {
            RefTensor x = RefTensor.Uniform(random, -1, 1, inputShape(c));
            yield return new ModuleCheck(c.ToString()!)
            {
                Seed = random.Next(),
                Inputs = [new CheckInput("input", x)],
                Build = (device, dtype) => build(c).to(device, dtype),
                Forward = (m, t) => [((nn.Module<Tensor, Tensor>)m).call(t[0])],
                Reference = call => reference(c, call),
            };
        }
    }
}
