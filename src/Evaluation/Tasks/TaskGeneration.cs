namespace EvalCluster.Evaluation.Tasks;

/// <summary>Generation defaults of a task; a run may override them (and records what it used).</summary>
public sealed record TaskGeneration
{
    public int MaxNewTokens { get; init; } = 4096;

    public IReadOnlyList<string> Stop { get; init; } = [];
}
