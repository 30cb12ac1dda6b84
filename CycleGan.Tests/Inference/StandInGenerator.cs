using CycleGan.App.Config;
using CycleGan.App.Generators;

namespace CycleGan.Tests.Inference;

/// <summary>A generator whose output the test decides (the input itself, its negation, an out-of-memory failure),
/// recording the shape of every batch it is given.</summary>
internal sealed class StandInGenerator(Func<Tensor, Tensor> compute) : nn.Module<Tensor, Tensor>("stand_in")
{
    public List<long[]> Calls { get; } = [];

    public static StandInGenerator Identity() => new(x => x.clone());

    public override Tensor forward(Tensor input)
    {
        Calls.Add(input.shape);
        return compute(input);
    }

    /// <summary>A model of two stand-ins (A to B, B to A) with the default config's 3 channels and side multiple 4.</summary>
    public static TrainedGenerators Model(StandInGenerator? aToB, StandInGenerator? bToA)
    {
        var config = new CycleGanConfig();
        var generators = new Dictionary<Direction, LoadedGenerator>();
        foreach (var (direction, net) in new[] { (Direction.AtoB, aToB), (Direction.BtoA, bToA) })
        {
            if (net is not null)
            {
                generators[direction] = new LoadedGenerator(GeneratorIdentity.For(config, direction), net);
            }
        }

        return new TrainedGenerators(config, new GeneratorOrigin("stand-in", null, null), generators);
    }
}
