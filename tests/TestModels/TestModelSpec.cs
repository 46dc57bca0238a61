namespace EvalCluster.TestModels;

/// <summary>
/// Shape of a random-weight Qwen3-style test decoder. Defaults: 2 layers, d_model 64, 4 query heads over
/// 2 KV heads of size 16, SwiGLU 128, vocabulary 320 (256 bytes + specials + unused ids), context 4,096.
/// <see cref="GenAi"/> writes the same weights as an ONNX Runtime GenAI model-builder graph
/// (com.microsoft:GroupQueryAttention with rotary caches, shared past/present buffers) plus genai_config.json;
/// it needs a head size that is a multiple of 16 (the CPU kernel's requirement).
/// </summary>
public sealed record TestModelSpec(
    int Layers = 2,
    int Hidden = 64,
    int Heads = 4,
    int KvHeads = 2,
    int HeadDim = 16,
    int FfnDim = 128,
    int VocabSize = 320,
    int Seed = 1,
    bool Float16 = false,
    bool PositionIdsInput = true,
    bool ChatTemplate = false,
    float RopeTheta = 10000f,
    float WeightScale = 1f,
    int MaxPositions = 4096,
    bool GenAi = false);
