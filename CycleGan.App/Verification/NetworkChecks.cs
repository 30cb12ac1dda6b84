using CycleGan.App.Config;
using CycleGan.App.Models;

namespace CycleGan.App.Verification;

/// <summary>A network to check and the input shape to check it at.</summary>
public sealed record NetworkCheckCase(string Name, Func<nn.Module<Tensor, Tensor>> Build, long[] InputShape);

/// <summary>Which networks the network-level check runs, at which sizes.</summary>
public static class NetworkChecks
{
    /// <summary>
    /// The full check: the paper's networks at full width (ResNet-9 and U-Net generators at ngf 64, the 3-layer
    /// PatchGAN at ndf 64) at each size and batch. A U-Net takes only multiples of 2^downsamplings: unet_128 runs at
    /// sizes that are multiples of 128, unet_256 at multiples of 256.
    /// </summary>
    public static IEnumerable<NetworkCheckCase> Standard(IReadOnlyList<int> sizes, IReadOnlyList<int> batches)
    {
        var model = new ModelConfig { NoDropout = true };
        foreach (int size in sizes)
        {
            foreach (int batch in batches)
            {
                long[] shape = [batch, 3, size, size];
                yield return new("resnet_9blocks ngf 64", () => NetworkFactory.Generator(model, 3, 3, initialise: false), shape);
                foreach (var (netG, multiple) in new[] { ("unet_128", 128), ("unet_256", 256) })
                {
                    if (size % multiple == 0)
                    {
                        yield return new($"{netG} ngf 64 (batch norm)",
                            () => NetworkFactory.Generator(model with { NetG = netG, Norm = "batch" }, 3, 3, initialise: false), shape);
                    }
                }

                yield return new("PatchGAN 3 layers ndf 64", () => NetworkFactory.Discriminator(model, 3, initialise: false), shape);
            }
        }
    }

    /// <summary>
    /// The short check for a run: the configured generator and discriminator (dropout off, as the comparison needs)
    /// at batch 1 and the smallest convenient side each takes: 32, or the U-Net's multiple, or the PatchGAN's minimum.
    /// </summary>
    public static IEnumerable<NetworkCheckCase> ForConfig(CycleGanConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var model = config.Model with { NoDropout = true };
        int inputNc = config.Data.InputNc, outputNc = config.Data.OutputNc;
        long gSide = model.NetG switch { "unet_128" => 128, "unet_256" => 256, _ => 32 };
        yield return new($"generator {model.NetG} ngf {model.Ngf}",
            () => NetworkFactory.Generator(model, inputNc, outputNc, initialise: false), [1, inputNc, gSide, gSide]);
        long dSide = 32;
        using (var probe = NetworkFactory.Discriminator(model, outputNc, initialise: false))
        {
            if (probe is NLayerDiscriminator patch)
            {
                dSide = Math.Max(dSide, patch.MinimumSize());
            }
        }

        yield return new($"discriminator {model.NetD} ndf {model.Ndf}",
            () => NetworkFactory.Discriminator(model, outputNc, initialise: false), [1, outputNc, dSide, dSide]);
    }

    /// <summary>Draws of weights and inputs for a case that failed its first draw; the case fails on a majority.</summary>
    public const int Draws = 3;

    /// <summary>
    /// Checks each case; one that fails is drawn again with other weights and inputs (seed + 1, ...) and fails only
    /// if it fails on the majority of <see cref="Draws"/> draws: a rounding accident is a matter of the draw, a
    /// wrong kernel is not (see <see cref="NetworkCheck"/>).
    /// </summary>
    public static IEnumerable<NetworkVerdict> Run(IEnumerable<NetworkCheckCase> cases, long seed, bool withReference = true, Action<NetworkVerdict>? report = null,
        bool bf16 = false)
    {
        ArgumentNullException.ThrowIfNull(cases);
        foreach (var c in cases)
        {
            var draws = new List<NetworkCheckResult> { NetworkCheck.Run(c.Name, c.Build, c.InputShape, seed, withReference, bf16) };
            while (draws.Count(d => !d.Passed) is > 0 and <= Draws / 2 && draws.Count < Draws)
            {
                draws.Add(NetworkCheck.Run(c.Name, c.Build, c.InputShape, seed + draws.Count, withReference, bf16));
            }

            var verdict = new NetworkVerdict(draws);
            report?.Invoke(verdict);
            yield return verdict;
        }
    }
}

/// <summary>A case's draws and its verdict: it fails when most of its draws failed.</summary>
public sealed record NetworkVerdict(IReadOnlyList<NetworkCheckResult> Draws)
{
    public int FailedDraws => Draws.Count(d => !d.Passed);

    public bool Passed => FailedDraws <= NetworkChecks.Draws / 2;

    /// <summary>The draw to show: the first passing one for a pass, the worst one for a failure.</summary>
    public NetworkCheckResult Shown => Passed
        ? Draws.First(d => d.Passed)
        : Draws.MaxBy(d => d.Worst.Error / d.Worst.Tolerance)!;

    public TimeSpan Elapsed => TimeSpan.FromTicks(Draws.Sum(d => d.Elapsed.Ticks));
}
