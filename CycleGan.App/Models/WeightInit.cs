namespace CycleGan.App.Models;

/// <summary>
/// The reference's network initialisation: every convolution, transposed convolution and linear layer gets its weight
/// from the chosen scheme and a zero bias; every BatchNorm2d gets weight ~ N(1, gain) and a zero bias.
/// </summary>
public static class WeightInit
{
    public static readonly string[] Types = ["normal", "xavier", "kaiming", "orthogonal"];

    public static void Apply(nn.Module network, string initType = "normal", double gain = 0.02)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!Types.Contains(initType))
        {
            throw new ArgumentException($"init_type '{initType}' is not one of {string.Join(", ", Types)}", nameof(initType));
        }

        if (!(gain > 0))
        {
            throw new ArgumentException($"init_gain must be positive, got {gain}", nameof(gain));
        }

        using var noGrad = torch.no_grad();
        foreach (var (_, module) in network.named_modules())
        {
            string kind = module.GetType().Name;
            Tensor? weight = Parameter(module, "weight");
            Tensor? bias = Parameter(module, "bias");
            if (kind.Contains("Conv", StringComparison.Ordinal) || kind == "Linear")
            {
                if (weight is not null)
                {
                    InitWeight(weight, initType, gain);
                }

                if (bias is not null)
                {
                    nn.init.zeros_(bias);
                }
            }
            else if (kind == "BatchNorm2d")
            {
                if (weight is not null)
                {
                    nn.init.normal_(weight, 1.0, gain);
                }

                if (bias is not null)
                {
                    nn.init.zeros_(bias);
                }
            }
        }
    }

    private static void InitWeight(Tensor weight, string initType, double gain)
    {
        switch (initType)
        {
            case "normal":
                nn.init.normal_(weight, 0.0, gain);
                break;
            case "xavier":
                nn.init.xavier_normal_(weight, gain);
                break;
            case "kaiming":
                nn.init.kaiming_normal_(weight, 0, nn.init.FanInOut.FanIn);
                break;
            default:
                nn.init.orthogonal_(weight, gain);
                break;
        }
    }

    private static Tensor? Parameter(nn.Module module, string name) =>
        module.named_parameters(recurse: false).FirstOrDefault(p => p.name == name).parameter;
}
