using EvalCluster.Inference.Calibration;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Inference.Tests.Gates;

public sealed class ArmSpecTests
{
    [Fact]
    public void Arm_texts_parse_into_kinds_and_parameters()
    {
        Assert.Equal(ArmKind.Base, ArmSpec.Parse("base").Kind);
        Assert.Equal(ArmModels.Guide, ArmSpec.Parse("guide").Models);
        Assert.Equal(0.05, ArmSpec.Parse("random@0.05").Rho);
        Assert.Equal(10, ArmSpec.Parse("early@k=10").EarlyTokens);
        Assert.Equal(2.5, ArmSpec.Parse("entropy@2.5").EntropyThreshold);
        Assert.Equal(0.4, ArmSpec.Parse("nudging@0.4").Gamma);
        var guided = ArmSpec.Parse("guided@tau=3,lambda=1.5,w=8,h=0.7,cap=4,score=js");
        Assert.Equal((3.0, 1.5, 8, 0.7, 4), (guided.Tau!.Value, guided.Lambda!.Value, guided.Window!.Value, guided.PrefilterEntropy!.Value, guided.Cap!.Value));
        Assert.Equal(DivergenceKind.JensenShannon, guided.Score);
        Assert.Equal("guided@tau=3,lambda=1.5,w=8,h=0.7,cap=4,score=js", guided.Name);
    }

    [Theory]
    [InlineData("guidd", "unknown arm")]
    [InlineData("random@0", "0 < rho")]
    [InlineData("random@rho=nan", "not a finite number")]
    [InlineData("guided@tau=-5", "tau must be >= 0")]
    [InlineData("guided@lambda=-1", "lambda must be >= 0")]
    [InlineData("guided@w=0", "w must be at least 1")]
    [InlineData("guided@r=7", "r must lie strictly between 0 and 1")]
    [InlineData("random@r=0.1", "belongs to guided arms")]
    [InlineData("guided@match", "only random and early arms can be matched")]
    [InlineData("random@match(base)", "follows a guided arm")]
    [InlineData("random@matchx", "write random@match")]
    [InlineData("random@x", "not a finite number")]
    [InlineData("base@3", "takes no parameters")]
    [InlineData("guided@beta=2", "unknown parameter")]
    public void Bad_arm_texts_say_what_to_write(string text, string message)
    {
        Assert.Contains(message, Assert.Throws<InferenceException>(() => ArmSpec.Parse(text)).Message);
    }

    [Fact]
    public void A_guided_arm_takes_missing_values_from_a_calibration_and_keeps_given_ones()
    {
        var calibration = new CalibrationFile
        {
            Entries = [new CalibrationEntry(0.05, 2, 1.3), new CalibrationEntry(0.1, 1, 1.1)], Window = 12, Score = "kl",
            Base = new ModelIdentity("b", "00"), Guide = new ModelIdentity("g", "11"),
        };
        var spec = ArmSpec.Parse("guided@r=0.05,lambda=2").WithCalibration(calibration);
        Assert.Equal((2.0, 2.0, 12), (spec.Tau!.Value, spec.Lambda!.Value, spec.Window!.Value));
        Assert.Equal(DivergenceKind.KlBaseGuide, spec.Score);
        Assert.IsType<GuidedGate>(GateFactory.Create(spec, 0));
        // The bare arm takes the default r; a file with several entries needs one, and an r it lacks is named.
        Assert.Equal(1.0, ArmSpec.Parse("guided").WithCalibration(calibration, "c.json", defaultR: 0.1).Tau);
        Assert.Contains("guided@r=R", Assert.Throws<InferenceException>(() => ArmSpec.Parse("guided").WithCalibration(calibration, "c.json")).Message);
        Assert.Contains("no calibration entry for r = 0.2", Assert.Throws<InferenceException>(() => ArmSpec.Parse("guided@r=0.2").WithCalibration(calibration, "c.json")).Message);
    }

    [Fact]
    public void The_factory_sizes_early_from_rho_and_the_base_length_and_explains_what_is_missing()
    {
        var early = (EarlyGate)GateFactory.Create(ArmSpec.Parse("early@0.25"), 0, baseResponseLength: 42);
        Assert.Equal(11, early.Tokens);
        Assert.Contains("base response length", Assert.Throws<InferenceException>(() => GateFactory.Create(ArmSpec.Parse("early@0.25"), 0)).Message);
        Assert.Contains("calibrat", Assert.Throws<InferenceException>(() => GateFactory.Create(ArmSpec.Parse("guided"), 0)).Message);
    }
}
