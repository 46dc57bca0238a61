using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>Loads the real Qwen3 tokenizer once per test class (it takes seconds: 151k tokens and merges).</summary>
public sealed class QwenTokenizerFixture
{
    public HfTokenizer Tokenizer { get; } = HfTokenizer.Load(SharedFolder.QwenTokenizerJson);
}
