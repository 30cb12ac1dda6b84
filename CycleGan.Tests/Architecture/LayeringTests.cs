namespace CycleGan.Tests.Architecture;

/// <summary>docs/architecture.md's rule, checked on the compiled app: dependencies point one way.</summary>
public sealed class LayeringTests
{
    private static readonly Lazy<NamespaceGraph> App = new(() =>
        NamespaceGraph.Read(typeof(CycleGan.App.Cli.CliApp).Assembly.Location, "CycleGan.App"));

    [Fact]
    public void NoTwoNamespacesOfTheAppUseEachOtherDirectlyOrRoundALoop()
    {
        var cycles = App.Value.Cycles();
        Assert.True(cycles.Count == 0, "namespace cycles: " + string.Join(" | ", cycles.Select(c =>
            string.Join(", ", c) + " (" + string.Join("; ", c.SelectMany(n => App.Value.Uses(n).Where(u => c.Contains(u.Key)).Take(1).Select(u => u.Value))) + ")")));
    }

    [Theory]
    [InlineData("CycleGan.App.Models", "CycleGan.App.Verification")]
    [InlineData("CycleGan.App.Layers", "CycleGan.App.Verification")]
    [InlineData("CycleGan.App.Runs", "CycleGan.App.Training")]
    [InlineData("CycleGan.App.Inference", "CycleGan.App.Training")]
    [InlineData("CycleGan.App.Export", "CycleGan.App.Training")]
    [InlineData("CycleGan.App.Evaluation", "CycleGan.App.Training")]
    [InlineData("CycleGan.App.Training", "CycleGan.App.Cli")]
    public void LowerRoomsDoNotReachUpperOnes(string lower, string upper)
    {
        Assert.True(App.Value.Namespaces.Contains(lower), $"{lower} is not a namespace of the app any more: update this test");
        Assert.False(App.Value.Reaches(lower, upper), $"{lower} reaches {upper}: " +
            string.Join("; ", App.Value.Uses(lower).Select(u => u.Value)));
    }
}
