using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>
/// Expected strings are what Qwen3's tokenizer_config.json chat_template renders under jinja2 for one user
/// message with add_generation_prompt=True and enable_thinking True / False.
/// </summary>
public sealed class PromptTemplateTests
{
    [Fact]
    public void ChatMlWithThinkingMatchesQwen3sTemplate() => Assert.Equal(
        "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
        new ChatMlTemplate(thinking: true).Render("What is 2+2?"));

    [Fact]
    public void ChatMlWithoutThinkingPrefillsTheEmptyThinkBlock() => Assert.Equal(
        "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
        new ChatMlTemplate(thinking: false).Render("What is 2+2?"));

    [Fact]
    public void ChatMlPutsASystemPromptFirst() => Assert.Equal(
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        new ChatMlTemplate(thinking: true, systemPrompt: "Be brief.").Render("Hi"));

    [Fact]
    public void TheChatTemplateInTheQwenConfigProducesTheseExactPieces()
    {
        // Guards against the shared config drifting from what ChatMlTemplate hard-codes.
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SharedFolder.QwenTokenizerConfig));
        var template = config.RootElement.GetProperty("chat_template").GetString()!;

        Assert.Contains(@"{{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}", template);
        Assert.Contains(@"{{- '<|im_start|>assistant\n' }}", template);
        Assert.Contains(@"{{- '<think>\n\n</think>\n\n' }}", template);
    }

    [Fact]
    public void TemplatesNameThemselvesByWhatChangesThePrompt()
    {
        Assert.Equal("chatml-thinking", new ChatMlTemplate(true).Name);
        Assert.Equal("chatml-no-thinking", new ChatMlTemplate(false).Name);
        Assert.Equal("plain", new PlainCompletionTemplate().Name);
        Assert.Equal("plain+suffix", new PlainCompletionTemplate("\nAnswer:").Name);
    }

    [Fact]
    public void PlainCompletionIsTheMessageThenTheSuffix()
    {
        Assert.Equal("Question: 2+2?", new PlainCompletionTemplate().Render("Question: 2+2?"));
        Assert.Equal("Question: 2+2?\nAnswer:", new PlainCompletionTemplate("\nAnswer:").Render("Question: 2+2?"));
    }
}
