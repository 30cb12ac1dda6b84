using CycleGan.App.Reference;

namespace CycleGan.Tests.Reference;

public class ReluKernelTests
{
    [Fact]
    public void Forward_matches_definition_and_backward_matches_finite_differences()
    {
        var random = new Random(3);
        // Keep values away from the kink at 0, where a central difference is not the derivative.
        var x = RefTensor.Uniform(random, 0.01, 1, 2, 3, 4, 5);
        for (int i = 0; i < x.Count; i += 2)
        {
            x.Data[i] = -x.Data[i];
        }

        var y = ReluKernel.Forward(x);
        for (int i = 0; i < x.Count; i++)
        {
            Assert.Equal(Math.Max(0, x.Data[i]), y.Data[i]);
        }

        var g = RefTensor.Uniform(random, -1, 1, x.Shape);
        var analytic = ReluKernel.Backward(x, g);
        var numeric = FiniteDifference.Gradient(a => ReluKernel.Forward(a[0]), [x], 0, g);
        Assert.True(FiniteDifference.MaxRelativeError(analytic, numeric) < 1e-6);
    }
}
