using System.Text.Json.Nodes;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;
using Xunit.Abstractions;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Tests.Models;

/// <summary>
/// The ONNX Runtime GenAI model-builder format (GroupQueryAttention, past and present bound to one buffer):
/// the same weights as an Optimum export give the same log-probabilities, and genai_config.json errors are one line.
/// </summary>
public sealed class GenAiFormatTests(TestModelFixture models, ITestOutputHelper output) : IClassFixture<TestModelFixture>
{
    // float32: the graphs differ only in the attention kernel (GQA's vs MatMul/Softmax) and the rotary tables.
    // float16: GQA attends in float16 (Q, K, V, the rotary caches), the Optimum graph in float32 over float16 KV.
    [Theory]
    [InlineData(false, 1e-4f)]
    [InlineData(true, 5e-2f)]
    public void The_same_weights_in_both_formats_give_the_same_logits_over_prefill_continuation_and_20_greedy_steps(bool float16, float tolerance)
    {
        using var genai = OnnxCausalLm.Load(float16 ? models.GenAiFloat16 : models.GenAi, ExecutionOptions.Cpu);
        using var optimum = OnnxCausalLm.Load(float16 ? models.GenAiFloat16Twin : models.GenAiTwin, ExecutionOptions.Cpu);
        Assert.True(genai.Signature.SharedBuffer);
        Assert.False(optimum.Signature.SharedBuffer);
        Assert.Equal(512, genai.MaxContext);
        var prompt = "The quick brown fox jumps over"u8.ToArray().Select(b => (int)b).ToArray();
        var a = genai.OpenSession();
        var b = optimum.OpenSession();

        var maxDelta = 0f;
        // Prefill (every position), then a 5-token continuation of the same session, then greedy steps.
        var ga = genai.Forward([new ForwardRequest(a, prompt, AllPositions: true)])[0];
        var oa = optimum.Forward([new ForwardRequest(b, prompt, AllPositions: true)])[0];
        Assert.Equal(prompt.Length, ga.Positions!.Count);
        for (var p = 0; p < prompt.Length; p++)
        {
            maxDelta = Math.Max(maxDelta, Delta(ga.Positions[p], oa.Positions![p]));
        }
        var more = " the lazy"u8.ToArray().Select(x => (int)x).ToArray();
        var g = genai.Forward([new ForwardRequest(a, more)])[0].Last;
        var o = optimum.Forward([new ForwardRequest(b, more)])[0].Last;
        maxDelta = Math.Max(maxDelta, Delta(g, o));
        var inPlace = 0;
        for (var step = 0; step < 20; step++)
        {
            var next = DivergenceKernels.ArgMax(o);
            Assert.Equal(next, DivergenceKernels.ArgMax(g));
            var (relayout, allocated) = (genai.KvRelayoutBytes, genai.KvAllocatedBytes);
            g = genai.Forward([new ForwardRequest(a, new[] { next })])[0].Last;
            if (genai.KvAllocatedBytes == allocated)
            {
                // The kernel appended in place: the step moved nothing inside the pool (relayout happens only on growth).
                Assert.Equal(relayout, genai.KvRelayoutBytes);
                inPlace++;
            }
            o = optimum.Forward([new ForwardRequest(b, new[] { next })])[0].Last;
            maxDelta = Math.Max(maxDelta, Delta(g, o));
        }
        output.WriteLine($"{(float16 ? "float16" : "float32")}: max |delta log-prob| GenAI vs Optimum over {prompt.Length} prefill positions, 1 continuation, 20 steps: {maxDelta:E2}");
        Assert.InRange(maxDelta, 0f, tolerance);
        Assert.InRange(inPlace, 17, 20);
        Assert.Equal(prompt.Length + more.Length + 20, genai.SessionTokens(a).Count);
    }

    [Fact]
    public void A_decode_step_copies_no_kv_and_moves_the_same_host_bytes_at_context_40_and_at_context_400()
    {
        using var lm = OnnxCausalLm.Load(models.GenAi, ExecutionOptions.Cpu);
        var sessions = Enumerable.Range(0, 4).Select(_ => lm.OpenSession()).ToArray();
        var next = sessions.Select((s, i) => DivergenceKernels.ArgMax(lm.Forward([new ForwardRequest(s, Enumerable.Range(40 + i, 8 + i).ToArray())])[0].Last)).ToArray();
        long? shortStep = null, longStep = null;
        for (var context = 8; context < 400; context++)
        {
            var (before, relayout) = (lm.HostBytes, lm.KvRelayoutBytes);
            var results = lm.Forward(sessions.Select((s, i) => new ForwardRequest(s, new[] { next[i] })).ToList());
            next = [.. results.Select(r => DivergenceKernels.ArgMax(r.Last))];
            if (lm.KvRelayoutBytes != relayout)
            {
                continue; // the pool grew (new buffers, new bindings): amortised, counted apart
            }
            if (context >= 40 && shortStep is null)
            {
                shortStep = lm.HostBytes - before;
            }
            if (context >= 390 && longStep is null)
            {
                longStep = lm.HostBytes - before;
            }
        }

        // 4 ids + per session one new mask entry and its logits row: no K/V moves (the kernel appended in place).
        var expected = 4 * 8 + 4 * (8 + lm.VocabSize * 4);
        Assert.Equal(expected, shortStep);
        Assert.Equal(expected, longStep);
    }

    [Fact]
    public void The_decoder_file_named_by_genai_config_is_loaded_and_hashed()
    {
        var dir = Directory.CreateTempSubdirectory("evalcluster-genai-renamed").FullName;
        foreach (var file in Directory.GetFiles(models.GenAi))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file) == "model.onnx" ? "decoder.onnx" : Path.GetFileName(file)));
        }
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, GenAiConfig.FileName)))!;
        config["model"]!["decoder"]!["filename"] = "decoder.onnx";
        File.WriteAllText(Path.Combine(dir, GenAiConfig.FileName), config.ToJsonString());

        using var renamed = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        using var original = OnnxCausalLm.Load(models.GenAi, ExecutionOptions.Cpu);
        var prompt = new[] { 72, 105, 33 };
        Assert.Equal(original.Forward([new ForwardRequest(original.OpenSession(), prompt)])[0].Last,
            renamed.Forward([new ForwardRequest(renamed.OpenSession(), prompt)])[0].Last);
        Assert.Equal(ModelFolder.HashWeights(models.GenAi), ModelFolder.HashWeights(dir));
        File.Delete(Path.Combine(dir, "decoder.onnx"));
        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(dir, ExecutionOptions.Cpu));
        Assert.Contains("decoder.onnx: not found", ex.Message);
    }

    [Theory]
    [InlineData("search.past_present_share_buffer", "search", "past_present_share_buffer", "false")]
    [InlineData("model.decoder.num_key_value_heads", "decoder", "num_key_value_heads", "\"two\"")]
    [InlineData("model.context_length", "model", "context_length", "0")]
    [InlineData("model.decoder.inputs.past_key_names", "inputs", "past_key_names", "\"past.key\"")]
    public void A_malformed_genai_config_is_one_line_naming_the_field(string field, string parent, string name, string json)
    {
        var config = TestModelWriter.GenAiConfig(new TestModelSpec(GenAi: true));
        var target = parent switch
        {
            "search" => config["search"]!.AsObject(),
            "model" => config["model"]!.AsObject(),
            "decoder" => config["model"]!["decoder"]!.AsObject(),
            _ => config["model"]!["decoder"]![parent]!.AsObject(),
        };
        target[name] = JsonNode.Parse(json);
        var dir = Directory.CreateTempSubdirectory("evalcluster-genai-bad").FullName;
        File.WriteAllText(Path.Combine(dir, GenAiConfig.FileName), config.ToJsonString());

        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(dir, ExecutionOptions.Cpu));

        Assert.Contains(GenAiConfig.FileName, ex.Message);
        Assert.Contains($"field {field}", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_genai_config_that_contradicts_the_graph_names_the_field()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Seed: 15, MaxPositions: 64, GenAi: true), "genai-wrong");
        var config = TestModelWriter.GenAiConfig(new TestModelSpec(Layers: 3, MaxPositions: 64, GenAi: true));
        File.WriteAllText(Path.Combine(dir, GenAiConfig.FileName), config.ToJsonString());
        File.Delete(Path.Combine(dir, "config.json"));

        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(dir, ExecutionOptions.Cpu));

        Assert.Contains("num_hidden_layers=3", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    private static float Delta(float[] x, float[] y) => x.Zip(y).Max(p => Math.Abs(p.First - p.Second));
}
