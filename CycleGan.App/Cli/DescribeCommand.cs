using System.CommandLine;
using System.Globalization;
using CycleGan.App.Config;
using CycleGan.App.Models;
using CycleGan.App.Training;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan describe --config X`: each network's layers, parameter count and output shape at the configured size.</summary>
public static class DescribeCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Config file or bare name in configs/", Required = true };
        var set = CommonOptions.Set();
        var size = new Option<int?>("--size")
        {
            Description = "Image side to describe the shapes for (default: the training input size: data.crop_size for the crop modes; " +
                          "for none and scale_width, that of the dataset's first trainA image)",
        };
        var layers = new Option<bool>("--layers") { Description = "List every layer with its parameter shapes" };
        var command = new Command("describe", "Print each network of a config: layers, parameter count, output shape.") { config, set, size, layers };
        command.SetAction(parse =>
        {
            CycleGanConfig c = ConfigLoader.Load(parse.GetValue(config)!, parse.GetValue(set));
            Console.Write(Describe(c, parse.GetValue(size), parse.GetValue(layers)));
            return 0;
        });
        return command;
    }

    public static string Describe(CycleGanConfig config, int? size, bool listLayers)
    {
        var (width, height, basis) = TrainingInputSize.Of(config, size);
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.WriteLine($"config '{config.Name}': netG {config.Model.NetG}, netD {config.Model.NetD}, norm {config.Model.Norm}, " +
                         $"ngf {config.Model.Ngf}, ndf {config.Model.Ndf}; input {width}x{height} ({basis})");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (name, net, inputNc) in NetworkFactory.CycleGan(config, initialise: false))
        {
            net.eval();
            long parameters = NetworkFactory.ParameterCount(net);
            string shape;
            try
            {
                using var output = net.call(torch.zeros(1, inputNc, height, width));
                shape = "[" + string.Join(", ", output.shape) + "]";
            }
            catch (ArgumentException ex)
            {
                shape = "n/a: " + CliApp.Describe(ex);
            }

            writer.WriteLine($"{name}: {net.GetType().Name}, {parameters:N0} parameters, [1, {inputNc}, {height}, {width}] -> {shape}");
            if (listLayers)
            {
                foreach (var (path, module) in net.named_modules())
                {
                    if (module.children().Any())
                    {
                        continue;
                    }

                    string ps = string.Join(", ", module.named_parameters(recurse: false).Select(p => $"{p.name} [{string.Join(",", p.parameter.shape)}]"));
                    writer.WriteLine($"    {path,-28} {module.GetType().Name,-16} {ps}");
                }
            }

            net.Dispose();
        }

        return writer.ToString();
    }
}
