using CycleGan.App.Devices;

namespace CycleGan.Tests.Layers;

/// <summary>A fact that needs native bfloat16 on the CPU: skipped, visibly, with the reason where the CPU lacks it.</summary>
public sealed class Bf16FactAttribute : FactAttribute
{
    public Bf16FactAttribute() => Skip = Bf16Support.Refusal(TorchSharp.torch.CPU);
}
