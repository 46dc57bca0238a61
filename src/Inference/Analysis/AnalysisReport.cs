namespace EvalCluster.Inference.Analysis;

/// <summary>The content of analysis.json: how concentrated the disagreement is and what it predicts.</summary>
public sealed record AnalysisReport
{
    public required string Score { get; init; }

    public int Responses { get; init; }

    public int Tokens { get; init; }

    /// <summary>Tokens left out of the statistics because their score was not finite.</summary>
    public int NonFiniteTokens { get; init; }

    /// <summary>Fraction of tokens that holds 50%, 80% and 90% of the total score (pooled over responses).</summary>
    public required IReadOnlyDictionary<string, double> ShareOfTokensHolding { get; init; }

    public double Gini { get; init; }

    /// <summary>Counts of t/T of the top-1% tokens in 10 bins over [0, 1), as <see cref="TopTokenPositions"/> defines them.</summary>
    public required IReadOnlyList<int> Top1PercentPositionHistogram { get; init; }

    /// <summary>Which tokens the histogram counts (<see cref="TopTokenPositions.Definition"/>), so readers of the file need not guess.</summary>
    public string Top1PercentDefinition { get; init; } = TopTokenPositions.Definition;

    public required PlanningEnrichment Planning { get; init; }

    /// <summary>IoU of the top-p% score tokens with the top-p% base-entropy tokens, for p = 1 and 5.</summary>
    public required IReadOnlyDictionary<string, double> EntropyOverlapIou { get; init; }

    /// <summary>AUROC of the mean of a response's top-100 scores as a predictor of a wrong answer (null without both classes).</summary>
    public double? WrongAnswerAuroc { get; init; }

    public int LabelledResponses { get; init; }
}
