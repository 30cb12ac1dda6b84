using System.CommandLine;
using System.Diagnostics;
using CycleGan.App.Config;
using CycleGan.App.Devices;
using CycleGan.App.Layers;
using CycleGan.App.Training;

namespace CycleGan.Bench;

/// <summary>
/// `cyclegan-bench bench-profile`: where one CycleGAN training step's time goes, by kind of work. Every call of a leaf
/// module in a step (convolution, padding, normalisation, activation) is recorded with its input's shape and which
/// gradients it needed; each is then timed alone, forward and backward, and summed by kind; the optimisers' updates
/// are timed alone too. What the step costs beyond these sums is the glue between them: losses, residual additions,
/// the image pools, autograd's bookkeeping and the memory traffic between layers that no layer owns. The line that
/// matters: the step's time against its convolutions' time alone, i.e. the share of the convolutions' own rate that
/// the whole step reaches.
/// </summary>
public static class BenchProfileCommand
{
    public static Command Create()
    {
        var size = new Option<int>("--size") { Description = "Image side in pixels", DefaultValueFactory = _ => 256 };
        var ngf = new Option<int>("--ngf") { Description = "Generator and discriminator width (model.ngf, model.ndf)", DefaultValueFactory = _ => 64 };
        var precision = new Option<string>("--precision") { Description = "train.precision: fp32 or bf16", DefaultValueFactory = _ => "fp32" };
        var rounds = new Option<int>("--rounds") { Description = "Repetitions of every timing; the fastest counts", DefaultValueFactory = _ => 3 };
        var command = new Command("bench-profile", "Profile one training step by kind of work: each layer call timed alone, against the whole step.")
        {
            size, ngf, precision, rounds,
        };
        command.SetAction(parse =>
        {
            var chosen = ConvolutionPrecisions.Parse(parse.GetValue(precision)!);
            var device = TorchRuntime.Start("cpu");
            Bf16Support.Require(chosen, device, "--precision");
            Run(parse.GetValue(size), parse.GetValue(ngf), chosen, parse.GetValue(rounds), device);
            return 0;
        });
        return command;
    }

    /// <summary>One leaf-module call of the step: the module, its input's shape and layout, and the gradients its backward computes.</summary>
    private sealed record Call(string Network, nn.Module<Tensor, Tensor> Module, long[] Shape, bool ChannelsLast, bool InputGradient, bool WeightGradient)
    {
        public string Kind => Module.GetType().Name;

        public string Key => $"{Network}/{Module.GetHashCode()}/{string.Join("x", Shape)}/{ChannelsLast}/{InputGradient}/{WeightGradient}";
    }

    /// <summary>Whether a tensor is laid out channels-last (as a channels-last convolution hands its output on).</summary>
    private static bool IsChannelsLast(Tensor t) => t.dim() == 4 && t.shape[1] > 1 && t.stride(1) == 1;

    /// <summary>A random tensor of the shape, in the layout given.</summary>
    private static Tensor Random(long[] shape, bool channelsLast, Device device)
    {
        Tensor t = torch.rand(shape, device: device);
        return channelsLast ? ConvolutionLayout.ToChannelsLast(t) : t;
    }

    private static void Run(int side, int ngf, ConvolutionPrecision precision, int rounds, Device device)
    {
        CycleGanConfig config = ConfigLoader.Parse("{}", "bench", [
            $"data.load_size={side}", $"data.crop_size={side}", $"model.ngf={ngf}", $"model.ndf={ngf}", $"train.precision={precision.Name()}",
        ]);
        torch.manual_seed(config.Seed);
        using var model = new CycleGanModel(config, device, new SeededRandom(1));
        model.Train();
        using Tensor realA = torch.rand(1, 3, side, side, device: device), realB = torch.rand(1, 3, side, side, device: device);
        Step(model, realA, realB); // the first step checks each convolution configuration (its kernels are decided once)

        var calls = Record(model, realA, realB);
        double step = Fastest(rounds, () => Timed(() => Step(model, realA, realB)));
        double adam = Fastest(rounds, () => Timed(() =>
        {
            model.OptimizerG.Update();
            model.OptimizerD.Update();
        }));

        var byKind = new Dictionary<string, (int Calls, double Seconds)>();
        foreach (var group in calls.GroupBy(c => c.Key))
        {
            Call call = group.First();
            double alone = Fastest(rounds, () => Alone(call, device));
            var (n, seconds) = byKind.GetValueOrDefault(call.Kind);
            byKind[call.Kind] = (n + group.Count(), seconds + (alone * group.Count()));
        }

        Console.WriteLine($"{side}x{side}, ngf {ngf}, {precision.Name()}, batch 1, {torch.get_num_threads()} threads: one step {step:F3} s (fastest of {rounds})");
        Console.WriteLine($"{"kind of work",-38}{"calls",7}{"alone (s)",11}{"of the step",13}");
        void Row(string name, int n, double seconds) => Console.WriteLine($"{name,-38}{(n > 0 ? $"{n}" : ""),7}{seconds,11:F3}{seconds / step,12:P1}");
        foreach (var (kind, (n, seconds)) in byKind.OrderByDescending(k => k.Value.Seconds))
        {
            Row($"{kind} (forward and backward)", n, seconds);
        }

        Row("Adam updates (both optimisers)", 0, adam);
        double accounted = byKind.Values.Sum(k => k.Seconds) + adam;
        Row("rest: losses, additions, pools, autograd", 0, step - accounted);
        double convolutions = byKind.Where(k => k.Key is nameof(Conv2d) or nameof(ConvTranspose2d)).Sum(k => k.Value.Seconds);
        Console.WriteLine($"the step reaches {convolutions / step:F3} of its convolutions' rate measured alone ({convolutions:F3} s of convolutions in a {step:F3} s step)");
    }

    private static void Step(CycleGanModel model, Tensor realA, Tensor realB)
    {
        using var scope = torch.NewDisposeScope();
        model.Step(realA, realB);
    }

    /// <summary>Every leaf-module call of one step, in order.</summary>
    private static List<Call> Record(CycleGanModel model, Tensor realA, Tensor realB)
    {
        var calls = new List<Call>();
        var removers = new List<Action>();
        foreach (var (name, net) in model.Networks)
        {
            foreach (var (_, module) in net.named_modules())
            {
                if (module is nn.Module<Tensor, Tensor> leaf && !module.children().Any())
                {
                    removers.Add(leaf.register_forward_hook((m, input, output) =>
                    {
                        bool grad = torch.is_grad_enabled();
                        calls.Add(new Call(name, leaf, input.shape, IsChannelsLast(input), grad && input.requires_grad, grad && leaf.parameters().Any(p => p.requires_grad)));
                        return output;
                    }).remove);
                }
            }
        }

        Step(model, realA, realB);
        removers.ForEach(remove => remove());
        return calls;
    }

    /// <summary>One call alone: forward on a fresh input of the recorded shape and layout and, where the step needed
    /// gradients, backward from a gradient laid out as the output.</summary>
    private static double Alone(Call call, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var parameters = call.Module.parameters().ToList();
        var was = parameters.Select(p => p.requires_grad).ToList();
        parameters.ForEach(p => p.requires_grad = call.WeightGradient);
        try
        {
            Tensor upstream;
            using (torch.no_grad())
            {
                Tensor output = call.Module.call(Random(call.Shape, call.ChannelsLast, device));
                upstream = Random(output.shape, IsChannelsLast(output), device);
            }

            // a non-leaf input, so that in-place layers (ReLU) run as in the step
            Tensor leaf = Random(call.Shape, call.ChannelsLast, device).requires_grad_(call.InputGradient);
            Tensor x = call.InputGradient ? leaf.clone() : leaf;
            return Timed(() =>
            {
                Tensor y = call.Module.call(x);
                if (call.InputGradient || call.WeightGradient)
                {
                    y.backward([upstream]);
                }
            });
        }
        finally
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                parameters[i].grad?.zero_();
                parameters[i].requires_grad = was[i];
            }
        }
    }

    private static double Timed(Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Fastest(int rounds, Func<double> seconds) => Enumerable.Range(0, rounds).Min(_ => seconds());
}
