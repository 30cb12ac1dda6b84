using CycleGan.App.Layers;

namespace CycleGan.Tests.Layers;

/// <summary>Wrong arguments end in an ArgumentException naming the parameter, never a native crash.</summary>
public class ArgumentValidationTests
{
    public static TheoryData<string, string> Constructors() => new()
    {
        { "Conv2d kernel 0", "kernel_size" },
        { "Conv2d stride -1", "stride" },
        { "Conv2d groups", "in_channels" },
        { "Conv2d out groups", "out_channels" },
        { "Conv2d mode", "padding_mode" },
        { "Conv2d same strided", "padding" },
        { "Conv2d same unknown", "padding" },
        { "Conv2d negative padding", "padding" },
        { "ConvTranspose2d output_padding", "output_padding" },
        { "ConvTranspose2d mode", "padding_mode" },
        { "MaxPool2d padding", "padding" },
        { "MaxPool2d kernel", "kernel_size" },
        { "AvgPool2d divisor", "divisor_override" },
        { "AvgPool2d stride", "stride" },
        { "Adaptive size", "output_size" },
        { "Dropout p", "p" },
        { "Dropout2d p", "p" },
        { "GELU approximate", "approximate" },
        { "BatchNorm momentum", "momentum" },
        { "BatchNorm features", "num_features" },
        { "InstanceNorm eps", "eps" },
        { "Linear features", "in_features" },
        { "Loss reduction", "reduction" },
        { "CrossEntropy smoothing", "label_smoothing" },
        { "ReflectionPad negative", "padding" },
        { "LeakyReLU slope", "negative_slope" },
    };

    [Theory]
    [MemberData(nameof(Constructors))]
    public void Bad_constructor_arguments_name_the_parameter(string what, string parameter)
    {
        Action make = what switch
        {
            "Conv2d kernel 0" => () => _ = new Conv2d(1, 1, 0),
            "Conv2d stride -1" => () => _ = new Conv2d(1, 1, 3, stride: -1),
            "Conv2d groups" => () => _ = new Conv2d(3, 4, 3, groups: 2),
            "Conv2d out groups" => () => _ = new Conv2d(4, 3, 3, groups: 2),
            "Conv2d mode" => () => _ = new Conv2d(1, 1, 3, padding_mode: "mirror"),
            "Conv2d same strided" => () => _ = new Conv2d(1, 1, 3, stride: 2, padding: "same"),
            "Conv2d same unknown" => () => _ = new Conv2d(1, 1, 3, padding: "full"),
            "Conv2d negative padding" => () => _ = new Conv2d(1, 1, 3, padding: -1),
            "ConvTranspose2d output_padding" => () => _ = new ConvTranspose2d(1, 1, 3, stride: 2, output_padding: 2),
            "ConvTranspose2d mode" => () => _ = new ConvTranspose2d(1, 1, 3, padding_mode: "reflect"),
            "MaxPool2d padding" => () => _ = new MaxPool2d(3, padding: 2),
            "MaxPool2d kernel" => () => _ = new MaxPool2d(-2),
            "AvgPool2d divisor" => () => _ = new AvgPool2d(2, divisor_override: 0),
            "AvgPool2d stride" => () => _ = new AvgPool2d(2, stride: 0),
            "Adaptive size" => () => _ = new AdaptiveAvgPool2d((0, 3)),
            "Dropout p" => () => _ = new Dropout(1.5),
            "Dropout2d p" => () => _ = new Dropout2d(-0.1),
            "GELU approximate" => () => _ = new GELU("fast"),
            "BatchNorm momentum" => () => _ = new BatchNorm2d(3, momentum: 2),
            "BatchNorm features" => () => _ = new BatchNorm2d(0),
            "InstanceNorm eps" => () => _ = new InstanceNorm2d(3, eps: 0),
            "Linear features" => () => _ = new Linear(0, 3),
            "Loss reduction" => () => _ = new MSELoss("avg"),
            "CrossEntropy smoothing" => () => _ = new CrossEntropyLoss(label_smoothing: 1.2),
            "ReflectionPad negative" => () => _ = new ReflectionPad2d(-1),
            "LeakyReLU slope" => () => _ = new LeakyReLU(double.NaN),
            _ => throw new InvalidOperationException(what),
        };
        var ex = Assert.ThrowsAny<ArgumentException>(make);
        Assert.Equal(parameter, ex.ParamName);
    }

    public static TheoryData<string, string> Inputs() => new()
    {
        { "Conv2d rank 2", "input" },
        { "Conv2d channels", "input" },
        { "Conv2d too small", "input" },
        { "ConvTranspose2d channels", "input" },
        { "BatchNorm channels", "input" },
        { "BatchNorm one value", "input" },
        { "InstanceNorm channels", "input" },
        { "MaxPool rank", "input" },
        { "MaxPool too small", "input" },
        { "Linear features", "input" },
        { "Softmax dim", "dim" },
        { "Reflection too wide", "padding" },
        { "Conv2d reflect too wide", "padding" },
        { "MSE shapes", "target" },
        { "CrossEntropy class", "target" },
        { "CrossEntropy shape", "target" },
        { "Dropout2d rank", "input" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Bad_inputs_name_the_culprit(string what, string parameter)
    {
        using var scope = torch.NewDisposeScope();
        Action run = what switch
        {
            "Conv2d rank 2" => () => new Conv2d(3, 4, 3).call(torch.randn(3, 8)),
            "Conv2d channels" => () => new Conv2d(3, 4, 3).call(torch.randn(1, 2, 8, 8)),
            "Conv2d too small" => () => new Conv2d(3, 4, 5).call(torch.randn(1, 3, 3, 8)),
            "ConvTranspose2d channels" => () => new ConvTranspose2d(3, 4, 3).call(torch.randn(1, 4, 8, 8)),
            "BatchNorm channels" => () => new BatchNorm2d(3).call(torch.randn(2, 4, 5, 5)),
            "BatchNorm one value" => () => new BatchNorm2d(3).call(torch.randn(1, 3, 1, 1)),
            "InstanceNorm channels" => () => new InstanceNorm2d(3).call(torch.randn(2, 4, 5, 5)),
            "MaxPool rank" => () => new MaxPool2d(2).call(torch.randn(5, 5)),
            "MaxPool too small" => () => new MaxPool2d(4).call(torch.randn(1, 1, 3, 8)),
            "Linear features" => () => new Linear(4, 2).call(torch.randn(3, 5)),
            "Softmax dim" => () => new Softmax(3).call(torch.randn(2, 3)),
            "Reflection too wide" => () => new ReflectionPad2d(4).call(torch.randn(1, 1, 4, 8)),
            "Conv2d reflect too wide" => () => new Conv2d(1, 1, 3, padding: 4, padding_mode: "reflect").call(torch.randn(1, 1, 4, 8)),
            "MSE shapes" => () => new MSELoss().call(torch.randn(2, 3), torch.randn(3, 2)),
            "CrossEntropy class" => () => new CrossEntropyLoss().call(torch.randn(2, 3), torch.tensor(new long[] { 0, 3 })),
            "CrossEntropy shape" => () => new CrossEntropyLoss().call(torch.randn(2, 3), torch.tensor(new long[] { 0, 1, 2 })),
            "Dropout2d rank" => () => new Dropout2d().call(torch.randn(4, 5)),
            _ => throw new InvalidOperationException(what),
        };
        var ex = Assert.ThrowsAny<ArgumentException>(run);
        Assert.Equal(parameter, ex.ParamName);
    }
}
