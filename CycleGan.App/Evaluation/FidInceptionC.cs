namespace CycleGan.App.Evaluation;

/// <summary>Mixed_6b..6e: factorised 7x7 branches (1x7 then 7x1), and the pool branch without the padding in its count.</summary>
public sealed class FidInceptionC : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051, CA1707 // PyTorch's names, so state-dict keys line up
    public readonly BasicConv2d branch1x1;
    public readonly BasicConv2d branch7x7_1;
    public readonly BasicConv2d branch7x7_2;
    public readonly BasicConv2d branch7x7_3;
    public readonly BasicConv2d branch7x7dbl_1;
    public readonly BasicConv2d branch7x7dbl_2;
    public readonly BasicConv2d branch7x7dbl_3;
    public readonly BasicConv2d branch7x7dbl_4;
    public readonly BasicConv2d branch7x7dbl_5;
    public readonly BasicConv2d branch_pool;
#pragma warning restore IDE1006, SA1300, CA1051, CA1707

    public FidInceptionC(int inChannels, int channels7x7)
        : base(nameof(FidInceptionC))
    {
        int c7 = channels7x7;
        branch1x1 = new BasicConv2d(inChannels, 192, 1);
        branch7x7_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7_2 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7_3 = new BasicConv2d(c7, 192, (7, 1), padding: (3, 0));
        branch7x7dbl_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7dbl_2 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_3 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7dbl_4 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_5 = new BasicConv2d(c7, 192, (1, 7), padding: (0, 3));
        branch_pool = new BasicConv2d(inChannels, 192, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        Tensor dbl = branch7x7dbl_1.call(x);
        foreach (var layer in new[] { branch7x7dbl_2, branch7x7dbl_3, branch7x7dbl_4, branch7x7dbl_5 })
        {
            dbl = layer.call(dbl);
        }

        return cat(
        [
            branch1x1.call(x),
            branch7x7_3.call(branch7x7_2.call(branch7x7_1.call(x))),
            dbl,
            branch_pool.call(InceptionPooling.Average3x3(x)),
        ], 1);
    }
}
