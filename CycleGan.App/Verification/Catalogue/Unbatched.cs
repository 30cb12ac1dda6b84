using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>Runs a 4-D (NCHW) reference on a 3-D (CHW, unbatched) input by adding and removing the batch dimension.</summary>
internal static class Unbatched
{
    public static RefTensor Add(RefTensor t) => t.Rank == 3 ? t.Reshape([1, .. t.Shape]) : t;

    public static RefTensor Remove(RefTensor t, bool unbatched) => unbatched ? t.Reshape(t.Shape[1..]) : t;
}
