using CycleGan.App.Devices;
using CycleGan.App.Layers;
using CycleGan.Tests.Training;

namespace CycleGan.Tests.Platform;

/// <summary>The installed convolution path is process-wide: these tests change it, so they run with no other test beside them.</summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class ConvolutionPathTests
{
    [Fact]
    public void A_paths_decisions_do_not_outlive_it_and_come_back_with_it()
    {
        // the checked path decides a configuration; on the raw NCHW path the same configuration runs NCHW, unchecked, and
        // when the checked path is back its decision is the one it made (before, one process-wide cache served every mode)
        TorchRuntime.EnsureInitialized();
        long[] input = [1, 24, 10, 10], weight = [12, 24, 3, 3];
        ConvolutionKernels Kernels() => ConvolutionLayout.KernelsFor(false, input, weight, [1, 1], [1, 1], [0, 0], [1, 1], 1, gradients: true);
        using (TorchRuntime.Use(CpuConvolutionPath.Checked))
        {
            CpuConvolutions checkedPath = CpuConvolutions.Current;
            Assert.Equal(CpuConvolutionMode.PerConfiguration, checkedPath.Mode);
            ConvolutionKernels decided = Kernels();
            using (TorchRuntime.Use(CpuConvolutionPath.Nchw))
            {
                Assert.Equal(CpuConvolutionMode.Native, CpuConvolutions.Current.Mode);
                Assert.Equal(ConvolutionKernels.Nchw, Kernels());
                Assert.Empty(CpuConvolutions.Current.Decisions);
            }

            Assert.Same(checkedPath, CpuConvolutions.Current);
            Assert.Equal(decided, Kernels());
            Assert.Contains(checkedPath.Decisions, d => d.Key.Contains("weight [12,24,3,3]", StringComparison.Ordinal));
        }
    }
}
