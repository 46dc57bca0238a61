namespace EvalCluster.TestModels;

/// <summary>
/// Random-weight specs with the shapes of real Qwen3 checkpoints (their config.json: layers, hidden size, heads,
/// KV heads, head size, MLP size, vocabulary, RoPE theta, context), float16 weights. The embedding is tied to the
/// output head in both (Qwen3-8B unties them: the real 8B holds 0.62B more parameters). <paramref name="layers"/>
/// writes fewer layers than the checkpoint (a smoke run or a time budget); 0 keeps the checkpoint's count.
/// </summary>
public static class QwenShapes
{
    public const int Qwen3Layers0_6B = 28;
    public const int Qwen3Layers8B = 36;

    public static TestModelSpec Qwen3_0_6B(int layers = 0, int seed = 1) => new(
        Layers: layers > 0 ? layers : Qwen3Layers0_6B, Hidden: 1024, Heads: 16, KvHeads: 8, HeadDim: 128, FfnDim: 3072,
        VocabSize: 151936, Seed: seed, Float16: true, RopeTheta: 1_000_000f, MaxPositions: 40960);

    public static TestModelSpec Qwen3_8B(int layers = 0, int seed = 1) => new(
        Layers: layers > 0 ? layers : Qwen3Layers8B, Hidden: 4096, Heads: 32, KvHeads: 8, HeadDim: 128, FfnDim: 12288,
        VocabSize: 151936, Seed: seed, Float16: true, RopeTheta: 1_000_000f, MaxPositions: 40960);

    /// <summary>Parameters of a spec (embedding counted once: tied).</summary>
    public static long Parameters(TestModelSpec s)
    {
        long h = s.Hidden, q = (long)s.Heads * s.HeadDim, kv = (long)s.KvHeads * s.HeadDim;
        var layer = h * q * 2 + h * kv * 2 + 3 * h * s.FfnDim + 2 * h + 2L * s.HeadDim;
        return (long)s.VocabSize * h + s.Layers * layer + h;
    }
}
