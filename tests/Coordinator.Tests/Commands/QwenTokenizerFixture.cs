using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>Loads the real Qwen3 tokenizer once per test class: 151k tokens and merges take seconds.</summary>
public sealed class QwenTokenizerFixture
{
    public HfTokenizer Tokenizer { get; } = HfTokenizer.Load(TokenizeTestFiles.QwenTokenizerJson);
}
