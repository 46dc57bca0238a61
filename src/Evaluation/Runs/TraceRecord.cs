namespace EvalCluster.Evaluation.Runs;

/// <summary>
/// One line of traces.jsonl (optional): the per-token disagreement scores of one response, used by the report
/// for the histogram of normalised positions t/T of the highest-scoring tokens.
/// </summary>
public sealed record TraceRecord
{
    public required string Task { get; init; }

    public required string ProblemId { get; init; }

    public int Sample { get; init; }

    public string Arm { get; init; } = "";

    public IReadOnlyList<double> Scores { get; init; } = [];
}
