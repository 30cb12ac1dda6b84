namespace CycleGan.App.Evaluation;

/// <summary>Mixed_6a (35x35 to 17x17): a stride-2 3x3, a double 3x3 ending in stride 2, and a stride-2 max pool.</summary>
public sealed class InceptionB : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051, CA1707 // PyTorch's names, so state-dict keys line up
    public readonly BasicConv2d branch3x3;
    public readonly BasicConv2d branch3x3dbl_1;
    public readonly BasicConv2d branch3x3dbl_2;
    public readonly BasicConv2d branch3x3dbl_3;
#pragma warning restore IDE1006, SA1300, CA1051, CA1707

    public InceptionB(int inChannels)
        : base(nameof(InceptionB))
    {
        branch3x3 = new BasicConv2d(inChannels, 384, 3, stride: 2);
        branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => cat(
    [
        branch3x3.call(x),
        branch3x3dbl_3.call(branch3x3dbl_2.call(branch3x3dbl_1.call(x))),
        InceptionPooling.MaxReduce(x),
    ], 1);
}
