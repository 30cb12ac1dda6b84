namespace CycleGan.App.Evaluation;

/// <summary>Mixed_5b..5d: 1x1, 5x5, double 3x3 and pool branches (pool without the padding in its count).</summary>
public sealed class FidInceptionA : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051, CA1707 // PyTorch's names, so state-dict keys line up
    public readonly BasicConv2d branch1x1;
    public readonly BasicConv2d branch5x5_1;
    public readonly BasicConv2d branch5x5_2;
    public readonly BasicConv2d branch3x3dbl_1;
    public readonly BasicConv2d branch3x3dbl_2;
    public readonly BasicConv2d branch3x3dbl_3;
    public readonly BasicConv2d branch_pool;
#pragma warning restore IDE1006, SA1300, CA1051, CA1707

    public FidInceptionA(int inChannels, int poolFeatures)
        : base(nameof(FidInceptionA))
    {
        branch1x1 = new BasicConv2d(inChannels, 64, 1);
        branch5x5_1 = new BasicConv2d(inChannels, 48, 1);
        branch5x5_2 = new BasicConv2d(48, 64, 5, padding: 2);
        branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, padding: 1);
        branch_pool = new BasicConv2d(inChannels, poolFeatures, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => cat(
    [
        branch1x1.call(x),
        branch5x5_2.call(branch5x5_1.call(x)),
        branch3x3dbl_3.call(branch3x3dbl_2.call(branch3x3dbl_1.call(x))),
        branch_pool.call(InceptionPooling.Average3x3(x)),
    ], 1);
}
