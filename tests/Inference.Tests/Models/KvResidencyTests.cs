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

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void The_device_paths_in_place_scatter_writes_the_same_cache_and_masks_as_the_host_copy_through_joins_leaves_and_growth(bool float16, bool genai)
    {
        // The scatter run (one ONNX Runtime run per decode step, pool and mask bound as input and output) is what a GPU
        // uses; here it runs on the CPU beside the host writes and must leave bit-identical caches and masks, so
        // identical logits. Optimum graphs: new K/V and mask entries; GenAI graphs (the kernel appends K/V): mask entries.
        var dir = genai ? (float16 ? models.GenAiFloat16 : models.GenAi) : float16 ? models.Float16 : models.Float32;
        using var host = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        using var device = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu, logger: null, scatterOnHost: true);
        var lms = new[] { host, device };
        var open = Enumerable.Range(0, 5).Select(i => lms.Select(lm => lm.OpenSession()).ToArray()).ToList();
        var next = new List<int>();
        for (var i = 0; i < open.Count; i++)
        {
            var prompt = Enumerable.Range(30 + i, 3 + 4 * i).ToArray();
            var r = lms.Select((lm, k) => lm.Forward([new ForwardRequest(open[i][k], prompt)])[0].Last).ToArray();
            Assert.Equal(r[0], r[1]);
            next.Add(Greedy(r[0]));
        }
        var steady = new List<long>();
        for (var step = 0; step < 90; step++)
        {
            if (step == 20)
            {
                // A session in the middle leaves (the pool compacts: the last one moves into its slot) ...
                for (var k = 0; k < 2; k++)
                {
                    lms[k].CloseSession(open[1][k]);
                }
                open.RemoveAt(1);
                next.RemoveAt(1);
            }
            if (step == 35)
            {
                // ... and a new one joins with its prompt, prefilled beside the others' decode steps.
                open.Add(lms.Select(lm => lm.OpenSession()).ToArray());
                next.Add(-1);
            }
            var (before, allocated) = (device.HostBytes, device.KvAllocatedBytes);
            var results = lms.Select((lm, k) => lm.Forward(open.Select((s, i) =>
                new ForwardRequest(s[k], next[i] < 0 ? Enumerable.Range(50, 11).ToArray() : new[] { next[i] })).ToList())).ToArray();
            if (step >= 60 && device.KvAllocatedBytes == allocated)
            {
                steady.Add(device.HostBytes - before);
            }
            for (var i = 0; i < open.Count; i++)
            {
                Assert.Equal(results[0][i].Last, results[1][i].Last);
                next[i] = Greedy(results[0][i].Last);
            }
        }
        Assert.Equal(host.SessionTokens(open[^1][0]), device.SessionTokens(open[^1][1]));
        // Host bytes of a steady decode step on the device path: ids (and positions, Optimum), per session one mask
        // update (row, column, value) and, Optimum only, the KV scatter's indices (2 x 3 int64 per KV head), and its
        // logits row. No K/V, nothing proportional to the context.
        var rows = open.Count;
        var kvIndices = genai ? 0 : 2 * 3 * 8 * device.Signature.KvHeads;
        var expected = rows * (genai ? 8 : 16) + rows * (3 * 8 + kvIndices + device.VocabSize * (float16 ? 2 : 4));
        Assert.InRange(steady.Count, 20, 30);
        Assert.All(steady, bytes => Assert.Equal(expected, bytes));
    }

    private static int Greedy(float[] lp) => Sampler.Sample(lp, SamplingOptions.Greedy, new SequenceRandom(0));
}
