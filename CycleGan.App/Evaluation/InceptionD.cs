namespace CycleGan.App.Evaluation;

/// <summary>Mixed_7a (17x17 to 8x8): 1x1 then stride-2 3x3; 1x1, 1x7, 7x1, stride-2 3x3; and a stride-2 max pool.</summary>
public sealed class InceptionD : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051, CA1707 // PyTorch's names, so state-dict keys line up
    public readonly BasicConv2d branch3x3_1;
    public readonly BasicConv2d branch3x3_2;
    public readonly BasicConv2d branch7x7x3_1;
    public readonly BasicConv2d branch7x7x3_2;
    public readonly BasicConv2d branch7x7x3_3;
    public readonly BasicConv2d branch7x7x3_4;
#pragma warning restore IDE1006, SA1300, CA1051, CA1707

    public InceptionD(int inChannels)
        : base(nameof(InceptionD))
    {
        branch3x3_1 = new BasicConv2d(inChannels, 192, 1);
        branch3x3_2 = new BasicConv2d(192, 320, 3, stride: 2);
        branch7x7x3_1 = new BasicConv2d(inChannels, 192, 1);
        branch7x7x3_2 = new BasicConv2d(192, 192, (1, 7), padding: (0, 3));
        branch7x7x3_3 = new BasicConv2d(192, 192, (7, 1), padding: (3, 0));
        branch7x7x3_4 = new BasicConv2d(192, 192, 3, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => cat(
    [
        branch3x3_2.call(branch3x3_1.call(x)),
        branch7x7x3_4.call(branch7x7x3_3.call(branch7x7x3_2.call(branch7x7x3_1.call(x)))),
        InceptionPooling.MaxReduce(x),
    ], 1);
}
