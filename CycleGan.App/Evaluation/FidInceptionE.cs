namespace CycleGan.App.Evaluation;

/// <summary>Mixed_7b and 7c: 1x1; 1x1 then parallel 1x3 and 3x1; 1x1, 3x3, then parallel 1x3 and 3x1; and the pool
/// branch, which averages without the padding in Mixed_7b and takes the maximum in Mixed_7c (as the TensorFlow graph
/// FID was defined with does).</summary>
public sealed class FidInceptionE : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051, CA1707 // PyTorch's names, so state-dict keys line up
    public readonly BasicConv2d branch1x1;
    public readonly BasicConv2d branch3x3_1;
    public readonly BasicConv2d branch3x3_2a;
    public readonly BasicConv2d branch3x3_2b;
    public readonly BasicConv2d branch3x3dbl_1;
    public readonly BasicConv2d branch3x3dbl_2;
    public readonly BasicConv2d branch3x3dbl_3a;
    public readonly BasicConv2d branch3x3dbl_3b;
    public readonly BasicConv2d branch_pool;
#pragma warning restore IDE1006, SA1300, CA1051, CA1707
    private readonly bool maxPool;

    public FidInceptionE(int inChannels, bool maxPool)
        : base(nameof(FidInceptionE))
    {
        this.maxPool = maxPool;
        branch1x1 = new BasicConv2d(inChannels, 320, 1);
        branch3x3_1 = new BasicConv2d(inChannels, 384, 1);
        branch3x3_2a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3_2b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch3x3dbl_1 = new BasicConv2d(inChannels, 448, 1);
        branch3x3dbl_2 = new BasicConv2d(448, 384, 3, padding: 1);
        branch3x3dbl_3a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3dbl_3b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch_pool = new BasicConv2d(inChannels, 192, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        Tensor b3 = branch3x3_1.call(x);
        Tensor dbl = branch3x3dbl_2.call(branch3x3dbl_1.call(x));
        Tensor pooled = maxPool ? InceptionPooling.Max3x3(x) : InceptionPooling.Average3x3(x);
        return cat(
        [
            branch1x1.call(x),
            branch3x3_2a.call(b3),
            branch3x3_2b.call(b3),
            branch3x3dbl_3a.call(dbl),
            branch3x3dbl_3b.call(dbl),
            branch_pool.call(pooled),
        ], 1);
    }
}
