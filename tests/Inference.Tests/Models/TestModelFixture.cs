using EvalCluster.TestModels;

namespace EvalCluster.Inference.Tests.Models;

/// <summary>Writes the random-weight test models once per test run (float32, float16, no position_ids input, and
/// one set of weights in both the Optimum and the GenAI model-builder format).</summary>
public sealed class TestModelFixture
{
    public string Float32 { get; } = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 3, Seed: 11), "f32");

    public string Float16 { get; } = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 12, Float16: true), "f16");

    public string GenAi { get; } = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 14, MaxPositions: 512, GenAi: true), "genai");

    public string GenAiTwin { get; } = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 14, MaxPositions: 512), "genai-twin");

    public string GenAiFloat16 { get; } = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 16, MaxPositions: 512, Float16: true, GenAi: true), "genai-f16");

    public string GenAiFloat16Twin { get; } = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 16, MaxPositions: 512, Float16: true), "genai-f16-twin");

    public string MaskPositions { get; } = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 13, PositionIdsInput: false), "cumsum");
}
