namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Everything text-side a model folder defines: its tokenizer, the token ids that end generation, and
/// whether it ships a ChatML chat template (then <see cref="Template"/> renders ChatML, else plain text).
/// </summary>
public sealed record TokenizerBundle(
    HfTokenizer Tokenizer,
    IReadOnlyList<int> EosTokenIds,
    bool HasChatTemplate,
    string ModelDirectory)
{
    public IPromptTemplate Template(bool thinking) =>
        HasChatTemplate ? new ChatMlTemplate(thinking) : new PlainCompletionTemplate();

    public bool IsEos(int tokenId) => EosTokenIds.Contains(tokenId);
}
