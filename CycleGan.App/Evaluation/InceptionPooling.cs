namespace CycleGan.App.Evaluation;

/// <summary>The pool branches of the FID Inception's mixed blocks.</summary>
internal static class InceptionPooling
{
    /// <summary>TensorFlow's 3x3 average pool: the zero padding is left out of each window's count (pytorch-fid's
    /// change to torchvision's blocks, which count it).</summary>
    public static Tensor Average3x3(Tensor x) =>
        nn.functional.avg_pool2d(x, [3, 3], [1, 1], [1, 1], ceil_mode: false, count_include_pad: false);

    /// <summary>The last block of the TensorFlow graph pools by maximum (a quirk of that graph that FID keeps).</summary>
    public static Tensor Max3x3(Tensor x) => nn.functional.max_pool2d(x, [3, 3], [1, 1], [1, 1]);

    /// <summary>The stride-2 reductions of Mixed_6a and Mixed_7a.</summary>
    public static Tensor MaxReduce(Tensor x) => nn.functional.max_pool2d(x, [3, 3], [2, 2]);
}
