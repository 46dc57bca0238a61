namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>The shared Qwen3 tokenizer files the tokenizer tests read (../shared beside the repository).</summary>
internal static class SharedFolder
{
    public static string QwenTokenizerJson => Path("tokenizers", "qwen3", "tokenizer.json");

    public static string QwenTokenizerConfig => Path("tokenizers", "qwen3", "tokenizer_config.json");

    public static string Path(params string[] parts) => System.IO.Path.Combine([RepoPaths.Shared, .. parts]);
}
