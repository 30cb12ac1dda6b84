using CycleGan.App.Data;
using CycleGan.Data.Loading;

namespace CycleGan.Tests.Data;

public class BatchTensorsTests
{
    [Fact]
    public void A_batch_becomes_an_NCHW_tensor_and_comes_back_unchanged()
    {
        float[] data = Enumerable.Range(0, 2 * 3 * 2 * 4).Select(i => i / 24f - 0.5f).ToArray();
        var batch = new ImageBatch(data, 2, 3, 2, 4, ["a", "b"]);
        using var scope = torch.NewDisposeScope();
        torch.Tensor t = BatchTensors.ToTensor(batch, torch.CPU);
        Assert.Equal([2L, 3, 2, 4], t.shape);
        Assert.Equal(torch.ScalarType.Float32, t.dtype);
        // Element [1, 2, 1, 3] sits at ((1 * 3 + 2) * 2 + 1) * 4 + 3 = 47 in NCHW order.
        Assert.Equal(data[47], t[1, 2, 1, 3].item<float>());

        var back = BatchTensors.ToBatch(t.clone(), ["a", "b"]);
        Assert.Equal(data, back.Data);
        Assert.Equal((2, 3, 2, 4), (back.Count, back.Channels, back.Height, back.Width));
    }
}
