using System.Text.Json;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Tests.Models;

/// <summary>A real pretrained model (llama2.c stories260K exported to ONNX, no KV cache) against its golden ids.</summary>
public sealed class Stories260KTests
{
    private static readonly string Dir = Path.Combine(RepoPaths.Shared, "models", "stories260K");

    [Fact]
    public void Stories260K_reproduces_the_reference_greedy_sequence_token_for_token()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "reference_greedy.json")));
        var expected = reference.RootElement.GetProperty("greedy_ids_from_bos").EnumerateArray().Select(e => e.GetInt32()).ToList();
        using var lm = OnnxCausalLm.Load(Path.Combine(Dir, "stories260K.onnx"), ExecutionOptions.Cpu);
        Assert.False(lm.Signature.HasKvCache);

        var session = lm.OpenSession();
        var next = new[] { expected[0] };
        for (var step = 1; step < expected.Count; step++)
        {
            var lp = lm.Forward([new ForwardRequest(session, next)])[0].Last;
            next = [Sampler.Sample(lp, SamplingOptions.Greedy, new SequenceRandom(0))];
        }
        var produced = lm.SessionTokens(session).Append(next[0]).ToList();

        Assert.Equal(expected, produced);
    }

    [Fact]
    public void Stories260K_last_position_logits_match_the_reference_after_log_softmax()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "reference_greedy.json")));
        var ids = reference.RootElement.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var logits = reference.RootElement.GetProperty("logits_last_position").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var max = logits.Max();
        var logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        using var lm = OnnxCausalLm.Load(Path.Combine(Dir, "stories260K.onnx"), ExecutionOptions.Cpu);

        var lp = lm.Forward([new ForwardRequest(lm.OpenSession(), ids)])[0].Last;

        Assert.Equal(512, lp.Length);
        Assert.InRange(lp.Select((v, i) => Math.Abs(v - (logits[i] - logSum))).Max(), 0, 1e-3);
    }
}
