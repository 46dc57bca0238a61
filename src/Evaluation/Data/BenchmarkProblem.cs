namespace EvalCluster.Evaluation.Data;

/// <summary>One problem of a benchmark as loaded from its dataset, with the task's fields mapped to names.</summary>
public sealed record BenchmarkProblem
{
    public required string Task { get; init; }

    /// <summary>Zero-based row index in the dataset file.</summary>
    public int Index { get; init; }

    public required string Id { get; init; }

    public required string Problem { get; init; }

    public required string Answer { get; init; }

    public string? Subject { get; init; }

    public string? Level { get; init; }

    public IReadOnlyList<string>? Choices { get; init; }
}
