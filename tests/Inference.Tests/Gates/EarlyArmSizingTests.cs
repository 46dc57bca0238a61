using EvalCluster.Inference.Gates;

namespace EvalCluster.Inference.Tests.Gates;

/// <summary>early@RHO sizes k from the base's response length when known, falling back to a given k.</summary>
public sealed class EarlyArmSizingTests
{
    [Fact]
    public void Rho_times_the_base_length_wins_over_a_given_k_which_is_the_fallback_without_a_base_length()
    {
        var arm = ArmSpec.Parse("early@0.25,k=4");

        Assert.Equal(3, ((EarlyGate)GateFactory.Create(arm, 0, baseResponseLength: 10)).Tokens);
        Assert.Equal(4, ((EarlyGate)GateFactory.Create(arm, 0)).Tokens);
        Assert.Equal(4, ((EarlyGate)GateFactory.Create(ArmSpec.Parse("early@k=4"), 0, baseResponseLength: 10)).Tokens);
    }

    [Fact]
    public void The_reference_arm_is_the_guide_alone_run_on_the_reference_model()
    {
        var arm = ArmSpec.Parse("reference");

        Assert.True(arm.OnReferenceModel);
        Assert.Equal(ArmModels.Guide, arm.Models);
        Assert.IsType<GuideGate>(GateFactory.Create(arm, 0));
        Assert.False(ArmSpec.Parse("guide").OnReferenceModel);
    }
}
