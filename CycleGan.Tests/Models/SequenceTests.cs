using CycleGan.App.Layers;
using CycleGan.App.Models;

namespace CycleGan.Tests.Models;

public class SequenceTests
{
    /// <summary>Keeps every tensor it returns, so the test can see which ones the sequence freed.</summary>
    private sealed class Recording(Func<Tensor, Tensor> f) : nn.Module<Tensor, Tensor>("Recording")
    {
        public List<Tensor> Outputs { get; } = [];

        public override Tensor forward(Tensor input)
        {
            Tensor y = f(input);
            Outputs.Add(y);
            return y;
        }
    }

    [Fact]
    public void Intermediates_are_freed_as_the_next_layer_runs_but_not_the_input_output_or_in_place_results()
    {
        using var scope = NewDisposeScope();
        var double_ = new Recording(x => x * Scalars.Of(2.0));
        var inPlace = new Recording(x => x.relu_());
        var identity = new Recording(x => x);
        var last = new Recording(x => x.Plus(Scalars.Of(1.0)));
        var sequence = new Sequence([double_, inPlace, identity, last]);
        Tensor input = ones(2, 3);

        Tensor output = sequence.call(input);

        Assert.True(double_.Outputs[0].IsInvalid, "the first layer's result should be freed once the next layers are done with it");
        Assert.False(input.IsInvalid, "the caller's input is the caller's");
        Assert.False(output.IsInvalid);
        Assert.Equal(3.0f, output.mean().item<float>());
    }

    [Fact]
    public void A_generator_forward_leaves_few_tensors_to_the_dispose_scope()
    {
        // 9 residual blocks of ~10 layers each: left to the scope, every activation would stay until it ends
        var g = new ResnetGenerator(3, 3, ngf: 4, nBlocks: 9);
        g.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = zeros(1, 3, 16, 16);
        g.call(x);
        // activations of 4 channels at 16x16 (or 16 at 4x4) and channels-last copies of 16x16x3x3 weights: 1,024 values
        // or more; statistics and the parameters themselves are smaller
        int activations = scope.DisposablesView.OfType<Tensor>().Count(t => !t.IsInvalid && t.numel() >= 1024);
        // (77 before intermediates were freed; the 3-channel output itself is below the size counted)
        Assert.InRange(activations, 0, 2);
    }
}
