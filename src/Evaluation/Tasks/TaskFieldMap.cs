namespace EvalCluster.Evaluation.Tasks;

/// <summary>Which dataset fields hold the id, problem, answer and the optional subject, level and choices.</summary>
public sealed record TaskFieldMap
{
    public string Id { get; init; } = "id";

    public string Problem { get; init; } = "problem";

    public string Answer { get; init; } = "answer";

    public string? Subject { get; init; }

    public string? Level { get; init; }

    public string? Choices { get; init; }
}
