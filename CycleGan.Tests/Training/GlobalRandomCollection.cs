using CycleGan.Tests.Inference;

namespace CycleGan.Tests.Training;

/// <summary>
/// Tests that need libtorch's process-wide random generator to themselves: the trainer seeds it (torch.manual_seed)
/// and weight initialisation and dropout draw from it, so any test running beside them that draws random tensors
/// would change their networks. This collection runs alone, never in parallel with another. Its members: the trainer's
/// tests, the layer catalogue's cross-checks (each case seeds the generator before building its module, and dropout
/// draws its masks from it), the whole-network reference checks and the weight initialisation statistics. Tests
/// elsewhere that need random tensors draw them from their own torch.Generator.
/// The tiny trained runs that the inference and export tests share are made once for the whole collection (their
/// training seeds the global generator too).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomCollection : ICollectionFixture<TrainedRunFixture>
{
    public const string Name = "libtorch global random generator";
}
