namespace EvalCluster.Inference.Divergence;

/// <summary>
/// Sums gathered in one pass over two log-probability vectors, from which the entropies, cross-entropies,
/// KL divergences and total variation follow. KLs are summed directly (not as differences) so they stay >= 0.
/// </summary>
public readonly record struct PairMoments(
    double SumPbLogPb,
    double SumPrLogPr,
    double SumPbLogPr,
    double SumPrLogPb,
    double KlBaseGuide,
    double KlGuideBase,
    double SumAbsDiff)
{
    public double BaseEntropy => -SumPbLogPb;

    public double GuideEntropy => -SumPrLogPr;

    /// <summary>-sum p_b log p_r; +infinity when the guide gives probability 0 to a token the base can emit.</summary>
    public double CrossEntropy => -SumPbLogPr;

    public double ReverseCrossEntropy => -SumPrLogPb;

    public double TotalVariation => 0.5 * SumAbsDiff;
}
