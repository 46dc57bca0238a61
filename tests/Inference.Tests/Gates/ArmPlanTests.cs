using EvalCluster.Inference.Gates;

namespace EvalCluster.Inference.Tests.Gates;

/// <summary>The arm list of a run: splitting, matched-arm expansion, dependencies and resolved arm texts.</summary>
public sealed class ArmPlanTests
{
    [Fact]
    public void Arm_lists_keep_an_arms_own_parameters_and_a_matched_arms_guided_arm()
    {
        Assert.Equal(["base", "guided@tau=2,lambda=1", "random@0.1"], ArmPlan.Split("base, guided@tau=2,lambda=1,random@0.1"));
        Assert.Equal(["guided@tau=2,lambda=1,w=4", "random@match(guided@tau=2,lambda=1,w=4)"],
            ArmPlan.Split("guided@tau=2,lambda=1,w=4,random@match(guided@tau=2,lambda=1,w=4)"));
    }

    [Fact]
    public void A_matched_arm_follows_the_only_guided_arm_under_its_own_name()
    {
        var plan = ArmPlan.Parse("base,guided,random,early@match");
        Assert.Equal(["base", "guided", "random", "early@match"], plan.Names);
        Assert.All(plan.Arms.Where(a => a.Matched), a => Assert.Equal("guided", a.MatchedTo));
        Assert.True(plan["early@match"].NeedsBaseLength);
        Assert.True(plan["random"].IsDeferred);
        Assert.False(plan["guided"].IsDeferred);
    }

    [Fact]
    public void With_several_guided_arms_a_matched_arm_becomes_one_arm_per_guided_arm()
    {
        var plan = ArmPlan.Parse("base,guided@r=0.02,guided@r=0.04,random@match,early@match");
        Assert.Equal(
        [
            "base", "guided@r=0.02", "guided@r=0.04", "random@match(guided@r=0.02)", "random@match(guided@r=0.04)",
            "early@match(guided@r=0.02)", "early@match(guided@r=0.04)",
        ], plan.Names);
        Assert.Equal("guided@r=0.04", plan["random@match(guided@r=0.04)"].MatchedTo);
        // An expanded name parses back to the same rule (the deferred phase reads arms from the manifest).
        Assert.Equal("guided@r=0.04", ArmPlan.Create(plan.Names)["early@match(guided@r=0.04)"].MatchedTo);
    }

    [Theory]
    [InlineData("base,random", "add guided to --arms")]
    [InlineData("guided,early@0.25", "add base to --arms")]
    [InlineData("base,guided,random@match(guided@r=0.04)", "not in --arms")]
    [InlineData("base,base", "appears twice")]
    [InlineData("", "--arms is empty")]
    public void Arm_lists_missing_a_dependency_say_what_to_add(string arms, string message)
    {
        Assert.Contains(message, Assert.Throws<InferenceException>(() => ArmPlan.Parse(arms)).Message);
    }

    [Fact]
    public void Early_with_a_k_needs_no_base_arm()
    {
        Assert.False(ArmPlan.Parse("guided,early@0.25,k=4")["early@0.25,k=4"].EarlyTokens is null);
        Assert.False(ArmPlan.Parse("guided,early@k=3")["early@k=3"].IsDeferred);
    }

    [Theory]
    [InlineData("guided@tau=2.5,lambda=1.25,w=4,h=0.5,cap=3,score=js")]
    [InlineData("random@0.125")]
    [InlineData("early@0.25,k=4")]
    [InlineData("entropy@2.5")]
    [InlineData("nudging@0.4")]
    [InlineData("base")]
    public void A_resolved_arm_text_parses_back_to_the_same_gate_settings(string text)
    {
        var spec = ArmSpec.Parse(text);
        var again = ArmSpec.Parse(spec.ToResolvedText());
        Assert.Equal(spec with { Name = "" }, again with { Name = "" });
    }
}
