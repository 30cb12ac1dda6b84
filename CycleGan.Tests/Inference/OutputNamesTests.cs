using CycleGan.App.Inference;

namespace CycleGan.Tests.Inference;

public sealed class OutputNamesTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "names");

    [Fact]
    public void NamesThatWouldCollideKeepTheExtensionThenTheFolder()
    {
        string[] inputs =
        [
            P("a", "photo.jpg"), P("a", "photo.png"), P("a", "Photo.webp"), P("b", "photo.jpg"), P("b", "c", "photo.jpg"), P("a", "solo.png"),
        ];
        var names = OutputNames.Assign(inputs, "_fake_B", ".png");
        Assert.Equal(
            ["a/photo_jpg_fake_B.png", "photo_png_fake_B.png", "Photo_webp_fake_B.png", "b/photo_jpg_fake_B.png", "b/c/photo_jpg_fake_B.png", "solo_fake_B.png"],
            names.Select(n => n.Name!).ToArray());
        Assert.All(names, n => Assert.Null(n.Error));
    }

    [Fact]
    public void TheNamesDoNotDependOnTheOrderOfTheInputs()
    {
        string[] inputs = [P("x", "p.jpg"), P("x", "p.png"), P("y", "p.png"), P("x", "q.png")];
        var forward = OutputNames.Assign(inputs, "_fake_A", ".png").ToDictionary(n => n.Input, n => n.Name);
        var backward = OutputNames.Assign(inputs.Reverse().ToArray(), "_fake_A", ".png").ToDictionary(n => n.Input, n => n.Name);
        Assert.Equal(forward.OrderBy(kv => kv.Key), backward.OrderBy(kv => kv.Key));
        Assert.Equal(inputs.Length, forward.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void AnInputWhoseNameEqualsAnotherOnesKeptNameIsReportedNotOverwritten()
    {
        // photo.jpg and photo.png keep their extensions: photo_jpg_fake_B.png, which photo_jpg.png also gets
        string[] inputs = [P("photo.jpg"), P("photo.png"), P("photo_jpg.png")];
        var names = OutputNames.Assign(inputs, "_fake_B", ".png");
        Assert.Equal("photo_jpg_fake_B.png", names[0].Name);
        Assert.Equal("photo_png_fake_B.png", names[1].Name);
        Assert.Null(names[2].Name);
        Assert.Contains(inputs[0], names[2].Error);
    }

    private static string P(params string[] parts) => Path.Combine([Root, .. parts]);
}
