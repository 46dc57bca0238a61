namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Qwen3's ChatML for one user turn with the generation prompt, byte for byte what its tokenizer_config.json
/// chat_template renders (optional system turn first). With thinking off the template pre-fills Qwen3's empty
/// think block, exactly as enable_thinking=false does; with thinking on the model opens the block itself.
/// </summary>
public sealed class ChatMlTemplate(bool thinking, string? systemPrompt = null) : IPromptTemplate
{
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public const string EmptyThinkBlock = "<think>\n\n</think>\n\n";

    public bool Thinking { get; } = thinking;

    public string? SystemPrompt { get; } = systemPrompt;

    public string Name => (Thinking ? "chatml-thinking" : "chatml-no-thinking") + (SystemPrompt is null ? "" : "+system");

    public string Render(string userMessage)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        var system = SystemPrompt is null ? "" : $"{ImStart}system\n{SystemPrompt}{ImEnd}\n";
        var prompt = $"{system}{ImStart}user\n{userMessage}{ImEnd}\n{ImStart}assistant\n";
        return Thinking ? prompt : prompt + EmptyThinkBlock;
    }
}
