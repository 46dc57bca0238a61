using EvalCluster.Inference.Calibration;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Gates;

/// <summary>
/// One arm as data: its kind and parameters. Text form (see <see cref="ArmSpecParser"/>): `base`, `guide`, `reference`,
/// `guided[@tau=..,lambda=..,w=..,h=..,cap=..]`, `random@RHO`, `early@RHO` or `early@k=K`, `entropy@TAU_H`,
/// `nudging@GAMMA`. A guided arm takes tau, lambda and the window from a calibration file.
/// </summary>
public sealed record ArmSpec
{
    public required ArmKind Kind { get; init; }

    /// <summary>The arm's label in results (its text form).</summary>
    public required string Name { get; init; }

    public DivergenceKind Score { get; init; } = DivergenceKind.CrossEntropy;

    /// <summary>Guided: global threshold tau (null until given or taken from a calibration).</summary>
    public double? Tau { get; init; }

    /// <summary>Guided: spike ratio lambda against the window mean.</summary>
    public double? Lambda { get; init; }

    /// <summary>Guided: window W of earlier scores.</summary>
    public int? Window { get; init; }

    /// <summary>Guided only: consult the guide only where H_b exceeds this (lazy guide pre-filter).</summary>
    public double? PrefilterEntropy { get; init; }

    /// <summary>Random and early: the takeover budget.</summary>
    public double Rho { get; init; }

    /// <summary>Early: an explicit number of leading guide tokens, used when rho or the base's response length is missing.</summary>
    public int? EarlyTokens { get; init; }

    /// <summary>Entropy gate threshold tau_H.</summary>
    public double EntropyThreshold { get; init; }

    /// <summary>Nudging threshold on the base top-1 probability.</summary>
    public double Gamma { get; init; }

    /// <summary>Hard cap on takeovers per response (null: none).</summary>
    public int? Cap { get; init; }

    public ArmModels Models => Kind switch
    {
        ArmKind.Base => ArmModels.Base,
        ArmKind.Guide or ArmKind.Reference => ArmModels.Guide,
        _ => ArmModels.Both,
    };

    /// <summary>
    /// The reference arm runs the reference model in the guide's place (its own chat template, thinking on), so
    /// whoever supplies the "guide" model must supply the reference model for this arm.
    /// </summary>
    public bool OnReferenceModel => Kind == ArmKind.Reference;

    public static ArmSpec Parse(string text) => ArmSpecParser.Parse(text);

    /// <summary>The guided gate's tau, lambda, window and score kind from a calibration; values given in the text win.</summary>
    public ArmSpec WithCalibration(CalibrationFile calibration) => Kind != ArmKind.Guided ? this : this with
    {
        Tau = Tau ?? calibration.Tau,
        Lambda = Lambda ?? calibration.Lambda,
        Window = Window ?? calibration.Window,
        Score = calibration.ScoreKind,
    };
}
