using System.Globalization;
using EvalCluster.Inference.Calibration;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Gates;

/// <summary>
/// One arm as data: its kind and parameters, and the rules that follow from them (which models it steps, whether it
/// waits for other arms' results). Text form (see <see cref="ArmSpecParser"/>): `base`, `guide`, `reference`,
/// `guided[@r=..][,tau=..,lambda=..,w=..,h=..,cap=..,score=..]`, `random@RHO`, `random@match[(GUIDED)]`, `early@RHO`,
/// `early@k=K`, `early@match[(GUIDED)]`, `entropy@TAU_H`, `nudging@GAMMA`. A guided arm takes tau, lambda and the window
/// from its calibration entry (r); bare `random` and `early` mean `@match`.
/// </summary>
public sealed record ArmSpec
{
    public required ArmKind Kind { get; init; }

    /// <summary>The arm's label in results (its text form).</summary>
    public required string Name { get; init; }

    /// <summary>The score written in the arm text (null: the calibration's, else cross-entropy).</summary>
    public DivergenceKind? Score { get; init; }

    /// <summary>The score the gate uses.</summary>
    public DivergenceKind ScoreKind => Score ?? DivergenceKind.CrossEntropy;

    /// <summary>Guided: the spike ratio whose calibration entry supplies tau and lambda (null: the file's only entry or -r).</summary>
    public double? R { get; init; }

    /// <summary>Random and early: rho is the realised rho of a guided arm of the same run and task (`@match`).</summary>
    public bool Matched { get; init; }

    /// <summary>The guided arm a matched arm follows (`random@match(guided@r=0.04)`; null: the run's only guided arm).</summary>
    public string? MatchedTo { get; init; }

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

    /// <summary>An early arm sized by rho (matched or early@RHO): k = rho x the base arm's response length of the same problem and sample.</summary>
    public bool NeedsBaseLength => Kind == ArmKind.Early && (Matched || Rho > 0);

    /// <summary>Whether the arm waits for the first phase of a run (the guided arm's rho, the base's lengths).</summary>
    public bool IsDeferred => Matched || NeedsBaseLength;

    public static ArmSpec Parse(string text) => ArmSpecParser.Parse(text);

    /// <summary>
    /// The guided gate's tau, lambda, window and score from the calibration entry for this arm's r (else
    /// <paramref name="defaultR"/>, else the file's only entry); values given in the text win.
    /// </summary>
    public ArmSpec WithCalibration(CalibrationFile calibration, string path = "calibration", double? defaultR = null)
    {
        if (Kind != ArmKind.Guided || (Tau is not null && Lambda is not null && Window is not null))
        {
            return this;
        }
        var entry = calibration.Entry(R ?? defaultR, path);
        return this with
        {
            R = entry.R,
            Tau = Tau ?? entry.Tau,
            Lambda = Lambda ?? entry.Lambda,
            Window = Window ?? calibration.Window,
            Score = Score ?? calibration.ScoreKind,
        };
    }

    /// <summary>
    /// The arm text a generation runs (every value resolved: a guided arm's thresholds, a matched arm's rho); parsing
    /// it gives the same gate. Its label in results stays <see cref="Name"/>.
    /// </summary>
    public string ToResolvedText()
    {
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var parts = new List<string>();
        switch (Kind)
        {
            case ArmKind.Guided:
                parts.AddRange(new[] { ("tau", Tau), ("lambda", Lambda), ("w", (double?)Window), ("h", PrefilterEntropy) }
                    .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={N(p.Item2!.Value)}"));
                break;
            case ArmKind.Random:
                parts.Add($"rho={N(Rho)}");
                break;
            case ArmKind.Early:
                parts.AddRange([.. Rho > 0 ? new[] { $"rho={N(Rho)}" } : [], .. EarlyTokens is { } k ? new[] { $"k={k}" } : []]);
                break;
            case ArmKind.Entropy:
                parts.Add($"h={N(EntropyThreshold)}");
                break;
            case ArmKind.Nudging:
                parts.Add($"gamma={N(Gamma)}");
                break;
        }
        if (Score is { } score && Kind is not (ArmKind.Base or ArmKind.Guide or ArmKind.Reference))
        {
            parts.Add($"score={DivergenceScore.Name(score)}");
        }
        if (Cap is { } cap && Kind is not (ArmKind.Base or ArmKind.Guide or ArmKind.Reference))
        {
            parts.Add($"cap={cap}");
        }
        var kind = Kind.ToString().ToLowerInvariant();
        return parts.Count == 0 ? kind : $"{kind}@{string.Join(",", parts)}";
    }
}

/// <summary>The arms that can run side by side in one evaluation (DESIGN.md, "The method, precisely").</summary>
public enum ArmKind
{
    Base,
    Guide,
    Guided,
    Random,
    Early,
    Entropy,
    Nudging,

    /// <summary>A third model alone (e.g. a same-size thinking model), prompted like the guide; it plays the guide's part.</summary>
    Reference,
}

/// <summary>Which models an arm steps: the base alone, the guide alone, or both.</summary>
[Flags]
public enum ArmModels
{
    Base = 1,
    Guide = 2,
    Both = Base | Guide,
}
