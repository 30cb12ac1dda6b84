using CycleGan.App.Layers;

namespace CycleGan.App.Evaluation;

/// <summary>
/// The Inception-v3 that FID is defined with (TensorFlow's 2015-12-05 graph, as pytorch-fid ports it): torchvision's
/// Inception3 layout with 1008 classes and no auxiliary head, whose A, C and E blocks average-pool without counting
/// the zero padding and whose last block max-pools. Its fields carry torchvision's names, so the state-dict keys are
/// those of pt_inception-2015-12-05-6726825d.pth. <see cref="Features"/> gives the 2048-d final-pool features.
/// </summary>
public sealed class FidInception : nn.Module<Tensor, Tensor>
{
    /// <summary>The feature dimension (the final average pool's channels).</summary>
    public const int Dimensions = 2048;

    /// <summary>The side every input is resized to.</summary>
    public const int InputSide = 299;

#pragma warning disable IDE1006, SA1300, CA1051, CA1707 // PyTorch's names, so state-dict keys line up
    public readonly BasicConv2d Conv2d_1a_3x3 = new(3, 32, 3, stride: 2);
    public readonly BasicConv2d Conv2d_2a_3x3 = new(32, 32, 3);
    public readonly BasicConv2d Conv2d_2b_3x3 = new(32, 64, 3, padding: 1);
    public readonly BasicConv2d Conv2d_3b_1x1 = new(64, 80, 1);
    public readonly BasicConv2d Conv2d_4a_3x3 = new(80, 192, 3);
    public readonly FidInceptionA Mixed_5b = new(192, 32);
    public readonly FidInceptionA Mixed_5c = new(256, 64);
    public readonly FidInceptionA Mixed_5d = new(288, 64);
    public readonly InceptionB Mixed_6a = new(288);
    public readonly FidInceptionC Mixed_6b = new(768, 128);
    public readonly FidInceptionC Mixed_6c = new(768, 160);
    public readonly FidInceptionC Mixed_6d = new(768, 160);
    public readonly FidInceptionC Mixed_6e = new(768, 192);
    public readonly InceptionD Mixed_7a = new(768);
    public readonly FidInceptionE Mixed_7b = new(1280, maxPool: false);
    public readonly FidInceptionE Mixed_7c = new(2048, maxPool: true);

    // The classifier is not used for FID; it is kept so that the weights file loads key for key.
    public readonly Linear fc = new(Dimensions, 1008);
#pragma warning restore IDE1006, SA1300, CA1051, CA1707

    public FidInception()
        : base(nameof(FidInception))
    {
        RegisterComponents();
        eval();
    }

    /// <summary>Final-pool features [N, 2048] of images [N, 3, H, W] with values in [0, 1] (any H, W).</summary>
    public override Tensor forward(Tensor images) => Features(images);

    /// <inheritdoc cref="forward"/>
    public Tensor Features(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
        {
            throw new ArgumentException($"FID Inception takes [N, 3, H, W] images in [0, 1], got [{string.Join(", ", images.shape)}]", nameof(images));
        }

        // The process's CPU convolution path (README, platform notes) serves this network as every other: flipping
        // libtorch's process-wide oneDNN switch here would change the path under any other work running meanwhile
        return Forward(images);
    }

    private Tensor Forward(Tensor images)
    {
        // pytorch-fid's input handling: bilinear resize (align_corners false, no antialiasing), then [0, 1] -> [-1, 1]
        Tensor x = nn.functional.interpolate(images, [InputSide, InputSide], mode: InterpolationMode.Bilinear, align_corners: false);
        x = (x * Scalars.Of(2.0)) - Scalars.Of(1.0);
        x = Conv2d_2b_3x3.call(Conv2d_2a_3x3.call(Conv2d_1a_3x3.call(x)));
        x = InceptionPooling.MaxReduce(x);
        x = Conv2d_4a_3x3.call(Conv2d_3b_1x1.call(x));
        x = InceptionPooling.MaxReduce(x);
        foreach (var block in new nn.Module<Tensor, Tensor>[]
                 { Mixed_5b, Mixed_5c, Mixed_5d, Mixed_6a, Mixed_6b, Mixed_6c, Mixed_6d, Mixed_6e, Mixed_7a, Mixed_7b, Mixed_7c })
        {
            x = block.call(x);
        }

        return nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1);
    }
}
