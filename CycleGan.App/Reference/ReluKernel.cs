namespace CycleGan.App.Reference;

/// <summary>ReLU: y = max(0, x); dy/dx = 1 where x &gt; 0, else 0 (PyTorch's choice at 0).</summary>
public static class ReluKernel
{
    public static RefTensor Forward(RefTensor input)
    {
        var output = RefTensor.ZerosLike(input);
        for (int i = 0; i < input.Count; i++)
        {
            output.Data[i] = input.Data[i] > 0 ? input.Data[i] : 0;
        }

        return output;
    }

    public static RefTensor Backward(RefTensor input, RefTensor gradOutput)
    {
        var grad = RefTensor.ZerosLike(input);
        for (int i = 0; i < input.Count; i++)
        {
            grad.Data[i] = input.Data[i] > 0 ? gradOutput.Data[i] : 0;
        }

        return grad;
    }
}
