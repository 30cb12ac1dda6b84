using CycleGan.App.Devices;

namespace CycleGan.Tests.Layers;

/// <summary>A fact that needs native bfloat16 on the CPU: skipped, visibly, with the reason where the CPU lacks it.</summary>
public sealed class Bf16FactAttribute : FactAttribute
{
    public Bf16FactAttribute() => Skip = Bf16Support.Refusal(TorchSharp.torch.CPU);
}

/// <summary>A theory that needs native bfloat16 on the CPU, skipped as <see cref="Bf16FactAttribute"/>.</summary>
public sealed class Bf16TheoryAttribute : TheoryAttribute
{
    public Bf16TheoryAttribute() => Skip = Bf16Support.Refusal(TorchSharp.torch.CPU);
}
