using CycleGan.App.Config;
using CycleGan.App.Layers;
using CycleGan.App.Models;

namespace CycleGan.App.Training;

/// <summary>
/// The CycleGAN of Zhu et al.: G_A maps A to B and D_A tells real B from G_A's fakes; G_B and D_B the other way.
/// One <see cref="Step"/> is one iteration of the paper: the generators' update on the adversarial, cycle and
/// identity losses with the discriminators frozen, then the discriminators' update on real images against fakes
/// drawn from a history pool.
/// </summary>
public sealed class CycleGanModel : IDisposable
{
    /// <summary>The losses a step reports, in the reference's order.</summary>
    public static readonly string[] LossNames = ["D_A", "G_A", "cycle_A", "idt_A", "D_B", "G_B", "cycle_B", "idt_B"];

    private readonly TrainConfig train;
    private readonly GanLoss gan;

    public CycleGanModel(CycleGanConfig config, Device device, SeededRandom poolRandom)
        : this((config ?? throw new ArgumentNullException(nameof(config))).Train, Build(config, device), device, poolRandom)
    {
    }

    /// <summary>
    /// Trains the given networks (G_A, G_B, D_A, D_B, already on <paramref name="device"/>) as they are: their
    /// architecture, weights and dtype. The reference-step tests start them from the PyTorch reference's weights and
    /// train in float64, which a config cannot express.
    /// </summary>
    internal CycleGanModel(TrainConfig train, IReadOnlyList<nn.Module<Tensor, Tensor>> networks, Device device, SeededRandom poolRandom)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(networks);
        if (networks.Count != 4)
        {
            throw new ArgumentException($"expected the four networks G_A, G_B, D_A, D_B, got {networks.Count}", nameof(networks));
        }

        this.train = train;
        gan = new GanLoss(train.GanMode);
        (GA, GB, DA, DB) = (networks[0], networks[1], networks[2], networks[3]);
        var precision = ConvolutionPrecisions.Parse(train.Precision);
        foreach (var network in networks)
        {
            network.WithConvolutionPrecision(precision);
        }

        Device = device;
        OptimizerG = new ScalarSafeAdam(GA.parameters().Concat(GB.parameters()), train.Lr, train.Beta1, train.Beta2);
        OptimizerD = new ScalarSafeAdam(DA.parameters().Concat(DB.parameters()), train.Lr, train.Beta1, train.Beta2);
        PoolA = new ImagePool(train.PoolSize, poolRandom);
        PoolB = new ImagePool(train.PoolSize, poolRandom);
    }

    private static nn.Module<Tensor, Tensor>[] Build(CycleGanConfig config, Device device) =>
        NetworkFactory.CycleGan(config).Select(n => n.Net.to(device)).ToArray();

    public Device Device { get; }

    public nn.Module<Tensor, Tensor> GA { get; }

    public nn.Module<Tensor, Tensor> GB { get; }

    public nn.Module<Tensor, Tensor> DA { get; }

    public nn.Module<Tensor, Tensor> DB { get; }

    public ScalarSafeAdam OptimizerG { get; }

    public ScalarSafeAdam OptimizerD { get; }

    /// <summary>History of G_B's fakes (domain A images) that D_B learns from.</summary>
    public ImagePool PoolA { get; }

    /// <summary>History of G_A's fakes (domain B images) that D_A learns from.</summary>
    public ImagePool PoolB { get; }

    /// <summary>The four networks by their checkpoint names.</summary>
    public IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Net)> Networks => [("G_A", GA), ("G_B", GB), ("D_A", DA), ("D_B", DB)];

    public void SetLearningRate(double lr)
    {
        foreach (var optimizer in new[] { OptimizerG, OptimizerD })
        {
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }
        }
    }

    /// <summary>Puts the config's Adam settings (rate, betas) into both optimizers: a restored optimizer state brings
    /// back the values it was saved with, and a resumed run must use the config's.</summary>
    public void ApplyOptimizerSettings()
    {
        foreach (var optimizer in new[] { OptimizerG, OptimizerD })
        {
            optimizer.Betas = (train.Beta1, train.Beta2);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = train.Lr;
                group.InitialLearningRate = train.Lr;
                ((torch.optim.IBetas)group).Betas = (train.Beta1, train.Beta2);
            }
        }
    }

    public void Train()
    {
        foreach (var (_, net) in Networks)
        {
            net.train();
        }
    }

    /// <summary>
    /// One training iteration on a batch from each domain. The returned tensors belong to the caller's dispose scope:
    /// the losses as one vector in <see cref="LossNames"/> order, and the pictures of this step.
    /// </summary>
    public StepResult Step(Tensor realA, Tensor realB)
    {
        // Generators: translate both ways and back.
        Tensor fakeB = GA.forward(realA);
        Tensor recA = GB.forward(fakeB);
        Tensor fakeA = GB.forward(realB);
        Tensor recB = GA.forward(fakeA);

        // G_A and G_B are trained with D_A and D_B frozen: the discriminators' gradients are not even computed.
        SetRequiresGrad(DA, false);
        SetRequiresGrad(DB, false);
        OptimizerG.zero_grad();
        double lambdaIdt = train.LambdaIdentity;
        Tensor idtA, idtB, lossIdtA, lossIdtB;
        if (lambdaIdt > 0)
        {
            // G_A should leave an image that already is in domain B as it is, and G_B likewise for domain A.
            idtA = GA.forward(realB);
            lossIdtA = nn.functional.l1_loss(idtA, realB) * Scalars.Of(train.LambdaB * lambdaIdt);
            idtB = GB.forward(realA);
            lossIdtB = nn.functional.l1_loss(idtB, realA) * Scalars.Of(train.LambdaA * lambdaIdt);
        }
        else
        {
            (idtA, idtB) = (realB, realA);
            lossIdtA = torch.zeros(1, realA.dtype, Device).squeeze();
            lossIdtB = torch.zeros(1, realA.dtype, Device).squeeze();
        }

        Tensor lossGA = gan.Of(DA.forward(fakeB), targetIsReal: true);
        Tensor lossGB = gan.Of(DB.forward(fakeA), targetIsReal: true);
        Tensor lossCycleA = nn.functional.l1_loss(recA, realA) * Scalars.Of(train.LambdaA);
        Tensor lossCycleB = nn.functional.l1_loss(recB, realB) * Scalars.Of(train.LambdaB);
        Tensor lossG = lossGA.Plus(lossGB).Plus(lossCycleA).Plus(lossCycleB).Plus(lossIdtA).Plus(lossIdtB);
        lossG.backward();
        OptimizerG.Update();

        // Discriminators: real images against fakes from the history pools, each half-weighted.
        SetRequiresGrad(DA, true);
        SetRequiresGrad(DB, true);
        OptimizerD.zero_grad();
        Tensor lossDA = DiscriminatorLoss(DA, realB, PoolB.Query(fakeB));
        lossDA.backward();
        Tensor lossDB = DiscriminatorLoss(DB, realA, PoolA.Query(fakeA));
        lossDB.backward();
        OptimizerD.Update();

        Tensor losses = torch.stack([lossDA, lossGA, lossCycleA, lossIdtA, lossDB, lossGB, lossCycleB, lossIdtB]).detach();
        var pictures = new StepPictures(realA, fakeB.detach(), recA.detach(), idtB.detach(), realB, fakeA.detach(), recB.detach(), idtA.detach());
        return new StepResult(losses, pictures);
    }

    private Tensor DiscriminatorLoss(nn.Module<Tensor, Tensor> d, Tensor real, Tensor fake)
    {
        Tensor lossReal = gan.Of(d.forward(real), targetIsReal: true);
        Tensor lossFake = gan.Of(d.forward(fake.detach()), targetIsReal: false);
        return lossReal.Plus(lossFake) * Scalars.Of(0.5);
    }

    private static void SetRequiresGrad(nn.Module net, bool requiresGrad)
    {
        foreach (var p in net.parameters())
        {
            p.requires_grad = requiresGrad;
        }
    }

    public void Dispose()
    {
        PoolA.Dispose();
        PoolB.Dispose();
        OptimizerG.Dispose();
        OptimizerD.Dispose();
        foreach (var (_, net) in Networks)
        {
            net.Dispose();
        }
    }
}

/// <summary>One step's outcome: the losses in <see cref="CycleGanModel.LossNames"/> order and the step's pictures.</summary>
public sealed record StepResult(Tensor Losses, StepPictures Pictures);

/// <summary>The reference's visual_names: real, fake, reconstructed and identity images of each side.</summary>
public sealed record StepPictures(Tensor RealA, Tensor FakeB, Tensor RecA, Tensor IdtB, Tensor RealB, Tensor FakeA, Tensor RecB, Tensor IdtA);
