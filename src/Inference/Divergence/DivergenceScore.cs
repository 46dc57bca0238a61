namespace EvalCluster.Inference.Divergence;

/// <summary>Computes a <see cref="DivergenceKind"/> from log-probabilities and maps kinds to their short names.</summary>
public static class DivergenceScore
{
    private static readonly (DivergenceKind Kind, string Name)[] Names =
    [
        (DivergenceKind.CrossEntropy, "ce"),
        (DivergenceKind.KlBaseGuide, "kl"),
        (DivergenceKind.KlGuideBase, "kl-rev"),
        (DivergenceKind.JensenShannon, "js"),
        (DivergenceKind.TotalVariation, "tv"),
        (DivergenceKind.Top1Mismatch, "top1-mismatch"),
        (DivergenceKind.BaseEntropy, "entropy"),
        (DivergenceKind.BaseTop1Complement, "top1-prob"),
    ];

    /// <summary>True when the score needs the guide's distribution (false for the base-only kinds).</summary>
    public static bool NeedsGuide(DivergenceKind kind) =>
        kind is not (DivergenceKind.BaseEntropy or DivergenceKind.BaseTop1Complement);

    public static string Name(DivergenceKind kind) => Names.First(n => n.Kind == kind).Name;

    /// <summary>Parses a short name (ce, kl, kl-rev, js, tv, top1-mismatch, entropy, top1-prob).</summary>
    public static DivergenceKind Parse(string name)
    {
        foreach (var (kind, text) in Names)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }
        throw new InferenceException($"unknown score '{name}'; use one of: {string.Join(", ", Names.Select(n => n.Name))}.");
    }

    /// <summary>The score from both distributions, reusing <paramref name="moments"/> when the kind is one of them.</summary>
    public static double Compute(DivergenceKind kind, ReadOnlySpan<float> baseLogProbs, ReadOnlySpan<float> guideLogProbs, in PairMoments moments) => kind switch
    {
        DivergenceKind.CrossEntropy => moments.CrossEntropy,
        DivergenceKind.KlBaseGuide => moments.KlBaseGuide,
        DivergenceKind.KlGuideBase => moments.KlGuideBase,
        DivergenceKind.TotalVariation => moments.TotalVariation,
        DivergenceKind.JensenShannon => DivergenceKernels.JensenShannon(baseLogProbs, guideLogProbs),
        DivergenceKind.Top1Mismatch =>
            DivergenceKernels.ArgMax(baseLogProbs) == DivergenceKernels.ArgMax(guideLogProbs) ? 0 : 1,
        DivergenceKind.BaseEntropy => moments.BaseEntropy,
        DivergenceKind.BaseTop1Complement => 1 - DivergenceKernels.Top1Probability(baseLogProbs),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A base-only score (NaN for kinds that need the guide).</summary>
    public static double FromBase(DivergenceKind kind, ReadOnlySpan<float> baseLogProbs, double baseEntropy) => kind switch
    {
        DivergenceKind.BaseEntropy => baseEntropy,
        DivergenceKind.BaseTop1Complement => 1 - DivergenceKernels.Top1Probability(baseLogProbs),
        _ => double.NaN,
    };
}
