using EvalCluster.Inference.Models;
using EvalCluster.Inference.Sampling;
using EvalCluster.TestModels;

namespace EvalCluster.Inference.Tests.Models;

/// <summary>
/// The KV cache stays in the model's resident pool: a decode step moves host bytes for its new tokens only
/// (ids, positions, one mask entry, the new K/V, the logits read), the same at a short and a long context;
/// growing the pool is amortised; a sequence that would pass the model's context fails before allocating.
/// </summary>
public sealed class KvResidencyTests(TestModelFixture models) : IClassFixture<TestModelFixture>
{
    [Fact]
    public void A_decode_step_moves_the_same_host_bytes_at_context_40_and_at_context_600()
    {
        using var lm = OnnxCausalLm.Load(models.Float32, ExecutionOptions.Cpu);
        var sessions = Enumerable.Range(0, 4).Select(_ => lm.OpenSession()).ToArray();
        var next = lm.Forward(sessions.Select((s, i) => new ForwardRequest(s, Enumerable.Range(40 + i, 8).ToArray())).ToList())
            .Select(r => Greedy(r.Last)).ToArray();

        long? shortStep = null, longStep = null;
        long shortAllocated = 0;
        for (var context = 8; context < 600; context++)
        {
            var (before, relayout) = (lm.HostBytes, lm.KvRelayoutBytes);
            var results = lm.Forward(sessions.Select((s, i) => new ForwardRequest(s, new[] { next[i] })).ToList());
            next = results.Select(r => Greedy(r.Last)).ToArray();
            if (lm.KvRelayoutBytes != relayout)
            {
                continue; // a growth step; counted apart and checked below
            }
            if (context >= 40 && shortStep is null)
            {
                (shortStep, shortAllocated) = (lm.HostBytes - before, lm.KvAllocatedBytes);
            }
            if (context >= 590 && longStep is null)
            {
                longStep = lm.HostBytes - before;
            }
        }

        // 4 rows x (id + position) x 8 bytes, then per session: its new K/V, one mask entry and the logits row.
        var expected = 4 * 2 * 8 + 4 * (lm.KvBytesPerToken + 8 + lm.VocabSize * 4);
        Assert.Equal(expected, shortStep);
        Assert.Equal(expected, longStep);
        Assert.True(lm.KvAllocatedBytes > 8 * shortAllocated, $"the pool grew from {shortAllocated} to {lm.KvAllocatedBytes} bytes");
        var finalKv = sessions.Sum(lm.KvBytes);
        // Growth by an eighth copies about 9x the final KV in all; copying per step would be ~300x.
        Assert.InRange(lm.KvRelayoutBytes, 1, 16 * finalKv);
    }

    [Fact]
    public void Sessions_closing_in_the_middle_leave_the_others_unchanged_after_the_pool_compacts()
    {
        using var lm = OnnxCausalLm.Load(models.Float32, ExecutionOptions.Cpu);
        int[] prompt = [72, 101, 108, 108, 111];
        var solo = lm.OpenSession();
        var expected = lm.Forward([new ForwardRequest(solo, prompt)])[0].Last;
        lm.CloseSession(solo);

        var sessions = Enumerable.Range(0, 6).Select(_ => lm.OpenSession()).ToArray();
        lm.Forward(sessions.Select((s, i) => new ForwardRequest(s, i == 5 ? prompt[..4] : new[] { 60 + i, 61, 62 })).ToList());
        lm.CloseSession(sessions[0]);
        lm.CloseSession(sessions[2]);
        var relayout = lm.KvRelayoutBytes;
        var last = lm.Forward([new ForwardRequest(sessions[5], prompt[4..]), new ForwardRequest(sessions[1], new[] { 70 })])[0].Last;

        Assert.True(lm.KvRelayoutBytes > relayout, "the last session moved into a freed slot");
        Assert.InRange(last.Zip(expected).Max(p => Math.Abs(p.First - p.Second)), 0, 1e-4);
    }

    [Fact]
    public void A_sequence_longer_than_the_model_context_fails_with_one_line_before_allocating()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 1, Seed: 21, MaxPositions: 64), "ctx");
        using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        var s = lm.OpenSession();
        lm.Forward([new ForwardRequest(s, Enumerable.Range(32, 60).ToArray())]);
        var allocated = lm.KvAllocatedBytes;

        var error = Assert.Throws<InferenceException>(() => lm.Forward([new ForwardRequest(s, Enumerable.Range(32, 5).ToArray())]));
        var huge = Assert.Throws<InferenceException>(() => lm.Forward([new ForwardRequest(lm.OpenSession(), new int[100_000])]));

        Assert.Equal($"model {lm.Name}: 60 tokens in context + 5 new = 65 tokens exceed its context of 64 (max_position_embeddings)", error.Message);
        Assert.Contains("100000 new", huge.Message);
        Assert.Equal(64, lm.MaxContext);
        Assert.Equal(allocated, lm.KvAllocatedBytes);
        Assert.Equal(61, lm.Forward([new ForwardRequest(s, new[] { 40 })])[0].Last.Length > 0 ? lm.SessionTokens(s).Count : 0);
    }

    private static int Greedy(float[] lp) => Sampler.Sample(lp, SamplingOptions.Greedy, new SequenceRandom(0));
}
