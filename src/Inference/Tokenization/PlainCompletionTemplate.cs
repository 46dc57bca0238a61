namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// The prompt a base model sees: the user message as is, then an optional suffix (for example "\nAnswer:"),
/// with no chat markup, because base models were never trained on it.
/// </summary>
public sealed class PlainCompletionTemplate(string suffix = "") : IPromptTemplate
{
    public string Suffix { get; } = suffix ?? throw new ArgumentNullException(nameof(suffix));

    public string Name => Suffix.Length == 0 ? "plain" : "plain+suffix";

    public string Render(string userMessage)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        return userMessage + Suffix;
    }
}
