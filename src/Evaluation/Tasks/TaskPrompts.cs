namespace EvalCluster.Evaluation.Tasks;

/// <summary>
/// Prompt templates with a <c>{problem}</c> placeholder. Base: the whole completion prompt of a base model.
/// Chat: the user message that the reasoning model's chat template (thinking enabled) wraps.
/// Few-shot examples are rendered with the base template followed by their solution and a blank line.
/// </summary>
public sealed record TaskPrompts
{
    public const string ZeroShotCot = "Please reason step by step, and put your final answer within \\boxed{}.";

    public const string Placeholder = "{problem}";

    public string Base { get; init; } = "{problem}\n" + ZeroShotCot + "\n";

    public string Chat { get; init; } = "{problem}\n" + ZeroShotCot;

    public IReadOnlyList<FewShotExample> FewShot { get; init; } = [];

    public string RenderBase(string problem)
    {
        var shots = string.Concat(FewShot.Select(s => Fill(Base, s.Problem) + s.Solution + "\n\n"));
        return shots + Fill(Base, problem);
    }

    public string RenderChat(string problem) => Fill(Chat, problem);

    private static string Fill(string template, string problem) => template.Replace(Placeholder, problem, StringComparison.Ordinal);
}
