using CycleGan.App.Devices;

namespace CycleGan.Tests.Verification;

/// <summary>
/// Tests that need a convolution path this machine may not have: xunit reads Skip when it finds the test, so the
/// self-check runs then, and a test that does not apply shows as skipped, with the reason, instead of passing.
/// </summary>
internal static class PathSkip
{
    public static string? UnlessOneDnnOn() =>
        OneDnnSwitch.Enabled == true ? null : "oneDNN is off in this process, so the reference path is the chosen one";

    public static string? UnlessChecked()
    {
        var path = TorchRuntime.EnsureInitialized().Path;
        return path == CpuConvolutionPath.Checked ? null : $"the self-check chose {path} here: the raw NCHW path is not known to be wrong";
    }
}

public sealed class OneDnnOnTheoryAttribute : TheoryAttribute
{
    public OneDnnOnTheoryAttribute() => Skip = PathSkip.UnlessOneDnnOn();
}

public sealed class ConvolutionsCheckedFactAttribute : FactAttribute
{
    public ConvolutionsCheckedFactAttribute() => Skip = PathSkip.UnlessChecked();
}
