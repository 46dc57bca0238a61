using EvalCluster.Inference.Models;
using EvalCluster.TestModels;
using Onnx;

namespace EvalCluster.Inference.Tests.Models;

/// <summary>The test-model writer's external-data layout (weights in model.onnx.data) loads in ONNX Runtime and
/// computes exactly what the same weights written inline compute.</summary>
public sealed class ExternalDataTests
{
    private static readonly int[] Prompt = [72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_model_with_external_data_gives_the_same_logits_as_the_same_weights_inline(bool float16)
    {
        var spec = new TestModelSpec(Layers: 2, Seed: 31, Float16: float16);
        var inline = TestModelWriter.WriteTemp(spec, "inline");
        var external = TestModelWriter.Write(Path.Combine(Path.GetTempPath(), "evalcluster-models", $"external-{Guid.NewGuid():N}"), spec, externalData: true);
        try
        {
            var data = new FileInfo(Path.Combine(external, "model.onnx.data"));
            Assert.True(data.Exists);
            // The embedding alone (320 x 64 values) is larger than the external model's protobuf.
            Assert.True(new FileInfo(Path.Combine(external, "model.onnx")).Length < spec.VocabSize * spec.Hidden * 2);
            var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(external, "model.onnx")));
            var moved = proto.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External).ToList();
            Assert.Contains(moved, t => t.Name == "embed");
            Assert.All(moved, t =>
            {
                Assert.True(t.RawData.IsEmpty && t.FloatData.Count == 0);
                Assert.Equal("model.onnx.data", t.ExternalData.Single(e => e.Key == "location").Value);
                Assert.Equal(0, long.Parse(t.ExternalData.Single(e => e.Key == "offset").Value) % ExternalData.Alignment);
            });
            Assert.True(data.Length >= moved.Sum(t => long.Parse(t.ExternalData.Single(e => e.Key == "length").Value)));

            var a = Logits(inline);
            var b = Logits(external);
            Assert.Equal(a.Count, b.Count);
            for (var i = 0; i < a.Count; i++)
            {
                Assert.Equal(a[i], b[i]);
            }
        }
        finally
        {
            Directory.Delete(inline, recursive: true);
            Directory.Delete(external, recursive: true);
        }
    }

    // Every prompt position's log-probabilities, then three greedy decode steps through the KV cache.
    private static List<float[]> Logits(string dir)
    {
        using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        var session = lm.OpenSession();
        var result = new List<float[]>(lm.Forward([new ForwardRequest(session, Prompt, AllPositions: true)])[0].Positions!);
        for (var step = 0; step < 3; step++)
        {
            var last = result[^1];
            var next = Array.IndexOf(last, last.Max());
            result.Add(lm.Forward([new ForwardRequest(session, new[] { next })])[0].Last);
        }
        Assert.True(result.All(r => r.All(float.IsFinite)));
        return result;
    }
}
