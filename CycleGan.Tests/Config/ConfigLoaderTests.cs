using CycleGan.App.Config;

namespace CycleGan.Tests.Config;

public class ConfigLoaderTests
{
    [Fact]
    public void Defaults_are_the_reference_implementations()
    {
        var c = ConfigLoader.Parse("{}", "test");
        Assert.Equal(0.0002, c.Train.Lr);
        Assert.Equal((0.5, 0.999), (c.Train.Beta1, c.Train.Beta2));
        Assert.Equal("lsgan", c.Train.GanMode);
        Assert.Equal((10.0, 10.0, 0.5), (c.Train.LambdaA, c.Train.LambdaB, c.Train.LambdaIdentity));
        Assert.Equal(50, c.Train.PoolSize);
        Assert.Equal((286, 256), (c.Data.LoadSize, c.Data.CropSize));
        Assert.Equal(1, c.Data.BatchSize);
        Assert.Equal((100, 100), (c.Train.NEpochs, c.Train.NEpochsDecay));
        Assert.Equal(("normal", 0.02), (c.Model.InitType, c.Model.InitGain));
        Assert.Equal(("resnet_9blocks", "basic", "instance"), (c.Model.NetG, c.Model.NetD, c.Model.Norm));
    }

    [Fact]
    public void Horse2zebra_config_resolves_by_bare_name_and_holds_the_papers_settings()
    {
        var c = ConfigLoader.Load("horse2zebra");
        Assert.Equal("horse2zebra", c.Name);
        // Every setting of the file is the reference's default: only the name differs from a config of defaults.
        Assert.Equal(ConfigLoader.Parse("{}", "defaults") with { Name = "horse2zebra" }, c);
        Assert.Equal("datasets/horse2zebra", c.Data.DataRoot);
    }

    [Fact]
    public void Unknown_key_suggests_the_closest_known_key()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "train": { "lamda_A": 5 } }""", "x.json"));
        Assert.Contains("train.lamda_A: unknown key", ex.Message);
        Assert.Contains("did you mean 'train.lambda_A'", ex.Message);
        Assert.Contains("x.json", ex.Message);
    }

    [Fact]
    public void Unknown_section_is_named()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "trian": { } }""", "x"));
        Assert.Contains("did you mean 'train'", ex.Message);
    }

    [Theory]
    [InlineData("""{ "train": { "lr": -1 } }""", "train.lr: -1 is out of range")]
    [InlineData("""{ "data": { "batch_size": 0 } }""", "data.batch_size: 0 is out of range")]
    [InlineData("""{ "data": { "preprocess": "resize_crop" } }""", "did you mean 'resize_and_crop'")]
    [InlineData("""{ "model": { "norm": "layer" } }""", "model.norm: 'layer' is not one of instance, batch, none")]
    [InlineData("""{ "data": { "load_size": 100, "crop_size": 128 } }""", "data.crop_size: 128 is larger than data.load_size 100")]
    [InlineData("""{ "train": { "lr": "fast" } }""", "train.lr: 'fast' is not a number (from the file)")]
    [InlineData("""{ "data": 3 }""", "data: must be a section")]
    [InlineData("""[1, 2]""", "top level must be a JSON object")]
    [InlineData("""{ "train": { "lr": 0.1 """, "not valid JSON")]
    [InlineData("""{ "name": "a/b" }""", "not a valid run name")]
    [InlineData("""{ "train": { "precision": "bf32" } }""", "train.precision: 'bf32' is not one of fp32, bf16")]
    public void Bad_values_are_named_with_the_allowed_range(string json, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "bad.json"));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void All_problems_are_reported_at_once()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "train": { "lr": 0, "pool_size": -3 } }""", "x"));
        Assert.Contains("2 problem(s)", ex.Message);
    }

    [Fact]
    public void Every_problem_of_file_and_overrides_is_reported_with_value_allowed_and_origin()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "train": { "pool_size": "many" }, "model": { "ngf": 0 } }""", "x.json",
            ["train.lr=abc", "data.batch_size=0", "data.no_flip=3", "train.lrr=1"]));
        Assert.Contains("config x.json has 6 problem(s)", ex.Message);
        Assert.Contains("train.lr: 'abc' is not a number (from --set)", ex.Message);
        Assert.Contains("data.batch_size: 0 is out of range; allowed: 1 to 4096 (from --set)", ex.Message);
        Assert.Contains("data.no_flip: 3 is not true or false (from --set)", ex.Message);
        Assert.Contains("--set 'train.lrr=1': train.lrr: unknown key (did you mean 'train.lr'?)", ex.Message);
        Assert.Contains("train.pool_size: 'many' is not a whole number (from the file)", ex.Message);
        Assert.Contains("model.ngf: 0 is out of range; allowed: 1 to 1024 (from the file)", ex.Message);
        Assert.DoesNotContain("System.", ex.Message);
    }

    [Fact]
    public void Configs_are_written_as_plain_utf8()
    {
        var c = ConfigLoader.Parse("{}", "x", ["name=été", "data.dataroot=data/<A->B> & co"]);
        string json = ConfigLoader.Serialize(c);
        Assert.Contains("\"été\"", json);
        Assert.Contains("\"data/<A->B> & co\"", json);
    }

    [Fact]
    public void Overrides_set_values_by_dotted_key()
    {
        var c = ConfigLoader.Parse("{}", "x", ["train.lr=0.0001", "data.no_flip=true", "model.netG=unet_256", "name=run7"]);
        Assert.Equal(0.0001, c.Train.Lr);
        Assert.True(c.Data.NoFlip);
        Assert.Equal("unet_256", c.Model.NetG);
        Assert.Equal("run7", c.Name);
    }

    [Theory]
    [InlineData("train.lrr=1", "did you mean 'train.lr'")]
    [InlineData("train", "expected section.key=value")]
    [InlineData("train.lr.x=1", "'train.lr' is a value, not a section")]
    [InlineData("train.lr=-5", "train.lr: -5 is out of range")]
    public void Bad_overrides_are_named(string assignment, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "x", [assignment]));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Missing_config_lists_the_known_ones()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.ResolvePath("no-such-config"));
        Assert.Contains("horse2zebra", ex.Message);
    }

    [Fact]
    public void Serialized_config_reads_back_equal()
    {
        var c = ConfigLoader.Parse("{}", "x", ["train.lr=0.0003", "data.max_dataset_size=10"]);
        Assert.Equal(c, ConfigLoader.Parse(ConfigLoader.Serialize(c), "round trip"));
    }
}
