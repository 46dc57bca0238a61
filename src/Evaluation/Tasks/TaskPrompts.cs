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

    /// <summary>Where a multiple-choice task (fields.choices) puts its lettered options ("A. ...", one per line).</summary>
    public const string ChoicesPlaceholder = "{choices}";

    public string Base { get; init; } = "{problem}\n" + ZeroShotCot + "\n";

    public string Chat { get; init; } = "{problem}\n" + ZeroShotCot;

    public IReadOnlyList<FewShotExample> FewShot { get; init; } = [];

    public string RenderBase(string problem, IReadOnlyList<string>? choices = null)
    {
        var shots = string.Concat(FewShot.Select(s => Fill(Base, s.Problem) + s.Solution + "\n\n"));
        return shots + Fill(Base, problem, choices);
    }

    public string RenderChat(string problem, IReadOnlyList<string>? choices = null) => Fill(Chat, problem, choices);

    /// <summary>Options lettered A, B, C ... one per line (the grader compares a letter answer with a letter gold).</summary>
    public static string Letter(IReadOnlyList<string> choices) =>
        string.Join("\n", choices.Select((c, i) => $"{(char)('A' + i)}. {c}"));

    /// <summary>
    /// Lower-case hex SHA-256 of the templates and few-shot examples: a calibration records it, so using it with a
    /// changed prompt is noticed.
    /// </summary>
    public string TemplateHash()
    {
        var text = string.Join("\u0000", [Base, Chat, .. FewShot.SelectMany(s => new[] { s.Problem, s.Solution })]);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    private static string Fill(string template, string problem, IReadOnlyList<string>? choices = null) =>
        template.Replace(ChoicesPlaceholder, choices is null ? "" : Letter(choices), StringComparison.Ordinal)
            .Replace(Placeholder, problem, StringComparison.Ordinal);
}

/// <summary>One worked example placed before the problem in a few-shot base prompt.</summary>
public sealed record FewShotExample(string Problem, string Solution);
