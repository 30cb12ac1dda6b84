using CycleGan.App.Verification.Catalogue;
using CycleGan.Tests.Training;

namespace CycleGan.Tests.Layers;

/// <summary>Every catalogued layer: TorchSharp's forward and gradients against the managed reference kernel. The cases
/// seed libtorch's global generator (module initialisation, dropout masks), hence the collection.</summary>
[Collection(GlobalRandomCollection.Name)]
public class CatalogueCrossCheckTests
{
    private const int Seed = 7001;

    public static TheoryData<string, string> LayersAndDtypes()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in LayerCatalogue.Order)
        {
            data.Add(name, "float64");
            data.Add(name, "float32");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LayersAndDtypes))]
    public void Layer_agrees_with_reference_kernel(string layer, string dtype)
    {
        Assert.DoesNotContain(layer, LayerCatalogue.Missing);
        var type = dtype == "float64" ? torch.ScalarType.Float64 : torch.ScalarType.Float32;
        var outcomes = LayerCatalogue.Verify(torch.CPU, type, Seed, [layer]);
        Assert.NotEmpty(outcomes);
        var failures = outcomes.Where(o => !o.Passed).Select(o => $"{o.Case}: {o.FailureSummary}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Catalogue_has_every_layer_of_the_design_once()
    {
        Assert.Empty(LayerCatalogue.Missing);
        Assert.Equal(LayerCatalogue.Order, LayerCatalogue.Entries.Select(e => e.Name));
    }

    [Fact]
    public void A_wrong_result_is_reported_as_a_failure()
    {
        // The harness itself must be able to fail: a reference that is off by a relative 1e-6 fails float64.
        var x = Kernels.RefTensor.Uniform(new Random(1), -1, 1, 4, 5);
        var check = new ModuleCheck("perturbed")
        {
            Inputs = [new CheckInput("input", x)],
            Build = (device, dtype) => new App.Layers.ReLU().to(device, dtype),
            Forward = (m, t) => [((App.Layers.ReLU)m).call(t[0])],
            Reference = call =>
            {
                var y = Kernels.PointwiseKernels.Forward(call.Inputs[0], Kernels.PointwiseKernels.Relu);
                for (int i = 0; i < y.Count; i++)
                {
                    y.Data[i] *= 1 + 1e-6;
                }

                return new ReferenceResult
                {
                    Outputs = [y],
                    InputGradients = new Dictionary<string, Kernels.RefTensor>
                    {
                        ["input"] = Kernels.PointwiseKernels.Backward(call.Inputs[0], call.GradOutput!, Kernels.PointwiseKernels.ReluGrad),
                    },
                };
            },
        };
        var results = check.Run(torch.CPU, torch.ScalarType.Float64);
        Assert.False(results.Single(r => r.Quantity == "output").Passed);
        Assert.True(results.Single(r => r.Quantity == "grad input").Passed);
    }
}
