using EvalCluster.TestModels;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Tests.Models;

public sealed class CausalLmTests(TestModelFixture models) : IClassFixture<TestModelFixture>
{
    private static readonly int[] Prompt = [72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100];

    [Theory]
    [InlineData("f32", 1e-4)]
    [InlineData("f16", 1e-2)]
    [InlineData("cumsum", 1e-4)]
    public void Incremental_decoding_with_the_kv_cache_equals_one_full_forward_pass(string which, double tolerance)
    {
        using var lm = OnnxCausalLm.Load(Dir(which), ExecutionOptions.Cpu);
        var tokens = Prompt.Concat([3, 200, 17, 99, 5, 250]).ToArray();

        var full = lm.OpenSession();
        var reference = lm.Forward([new ForwardRequest(full, tokens, AllPositions: true)])[0].Positions!;

        var inc = lm.OpenSession();
        var steps = new List<float[]>(lm.Forward([new ForwardRequest(inc, tokens.AsMemory(0, 5), AllPositions: true)])[0].Positions!);
        steps.AddRange(lm.Forward([new ForwardRequest(inc, tokens.AsMemory(5, 4), AllPositions: true)])[0].Positions!);
        for (var i = 9; i < tokens.Length; i++)
        {
            steps.Add(lm.Forward([new ForwardRequest(inc, tokens.AsMemory(i, 1))])[0].Last);
        }

        Assert.Equal(tokens.Length, steps.Count);
        Assert.Equal(tokens, lm.SessionTokens(inc));
        Assert.InRange(MaxAbsDiff(reference, steps), 0, tolerance);
    }

    [Theory]
    [InlineData("f32", 1e-4)]
    [InlineData("f16", 1e-2)]
    [InlineData("cumsum", 1e-4)]
    public void A_batch_of_sequences_of_different_lengths_equals_each_sequence_run_alone(string which, double tolerance)
    {
        using var lm = OnnxCausalLm.Load(Dir(which), ExecutionOptions.Cpu);
        int[][] prompts = [Prompt, [65, 66], [1, 2, 3, 4, 5, 6, 7], [300]];
        int[][] continuations = [[10, 11, 12], [13], [14, 15], [16, 17, 18, 19]];

        var alone = new List<float[]>();
        foreach (var (p, c) in prompts.Zip(continuations))
        {
            var s = lm.OpenSession();
            lm.Forward([new ForwardRequest(s, p)]);
            alone.Add(lm.Forward([new ForwardRequest(s, c)])[0].Last);
            lm.CloseSession(s);
        }

        var sessions = prompts.Select(_ => lm.OpenSession()).ToArray();
        lm.Forward(sessions.Select((s, i) => new ForwardRequest(s, prompts[i])).ToList());
        var together = lm.Forward(sessions.Select((s, i) => new ForwardRequest(s, continuations[i])).ToList());

        Assert.InRange(MaxAbsDiff(alone, together.Select(r => r.Last).ToList()), 0, tolerance);
        Assert.Equal(prompts[3].Length + continuations[3].Length, lm.SessionTokens(sessions[3]).Count);
    }

    [Fact]
    public void Log_probabilities_are_normalised_over_the_vocabulary()
    {
        using var lm = OnnxCausalLm.Load(models.Float32, ExecutionOptions.Cpu);
        var lp = lm.Forward([new ForwardRequest(lm.OpenSession(), Prompt)])[0].Last;

        Assert.Equal(lm.VocabSize, lp.Length);
        Assert.InRange(lp.Sum(x => Math.Exp(x)), 1 - 1e-4, 1 + 1e-4);
    }

    [Fact]
    public void Greedy_decoding_is_deterministic_across_loads_and_batch_partners()
    {
        var first = Greedy(models.Float32, partners: 0);
        var second = Greedy(models.Float32, partners: 3);

        Assert.Equal(first, second);
        Assert.Equal(20, first.Count);
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_independent_of_batch_composition()
    {
        var options = new SamplingOptions(Temperature: 1.0f, TopP: 0.95f, TopK: 50);
        var alone = Sample(models.Float32, options, partners: 0, seed: 7);
        var crowded = Sample(models.Float32, options, partners: 4, seed: 7);
        var otherSeed = Sample(models.Float32, options, partners: 0, seed: 8);

        Assert.Equal(alone, crowded);
        Assert.NotEqual(alone, otherSeed);
    }

    [Fact]
    public void Kv_bytes_are_accounted_per_session_from_the_graph_geometry()
    {
        using var lm = OnnxCausalLm.Load(models.Float32, ExecutionOptions.Cpu);
        var s = lm.OpenSession();
        lm.Forward([new ForwardRequest(s, Prompt)]);

        // 3 layers x 2 (key, value) x 2 KV heads x 16 head size x 4 bytes.
        Assert.Equal(3 * 2 * 2 * 16 * 4, lm.KvBytesPerToken);
        Assert.Equal(Prompt.Length * lm.KvBytesPerToken, lm.KvBytes(s));
    }

    private List<int> Greedy(string dir, int partners) => Sample(dir, SamplingOptions.Greedy, partners, seed: 1);

    // Decodes 20 tokens for one sequence while `partners` other sequences with other prompts share every batch.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_decode_step_large_enough_for_parallel_log_probs_gives_each_session_its_own_row(bool genai)
    {
        // 40 sessions x a 32,768-token vocabulary passes the parallel threshold: every row must still be its own
        // session's distribution (as computed alone) and normalised.
        var spec = new TestModelSpec(Layers: 1, Seed: 17, VocabSize: 32768, HeadDim: 16, MaxPositions: 256, GenAi: genai);
        var dir = TestModelWriter.WriteTemp(spec, "bigvocab");
        const int sessions = 40;
        Assert.True((long)sessions * spec.VocabSize >= BatchRunner.ParallelLogProbElements);
        using var batched = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        using var alone = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        var b = Enumerable.Range(0, sessions).Select(_ => batched.OpenSession()).ToArray();
        var a = Enumerable.Range(0, sessions).Select(_ => alone.OpenSession()).ToArray();
        for (var i = 0; i < sessions; i++)
        {
            batched.Forward([new ForwardRequest(b[i], new[] { 100 + i, 7, 9 })]);
            alone.Forward([new ForwardRequest(a[i], new[] { 100 + i, 7, 9 })]);
        }
        var step = batched.Forward(b.Select((s, i) => new ForwardRequest(s, new[] { 500 + 13 * i })).ToList());
        for (var i = 0; i < sessions; i++)
        {
            var own = alone.Forward([new ForwardRequest(a[i], new[] { 500 + 13 * i })])[0].Last;
            Assert.InRange(step[i].Last.Zip(own).Max(p => Math.Abs(p.First - p.Second)), 0, 1e-4);
            Assert.InRange(step[i].Last.Sum(lp => Math.Exp(lp)), 0.999, 1.001);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Disposing_a_model_twice_after_prefill_and_decode_frees_its_memory_once(bool genai)
    {
        // A batcher disposes the model it was given and the model's owner may too: native KV, scratch and step
        // buffers must be released once (a second free aborts the process).
        var lm = OnnxCausalLm.Load(genai ? models.GenAi : models.Float32, ExecutionOptions.Cpu);
        var s = lm.OpenSession();
        var next = DivergenceKernels.ArgMax(lm.Forward([new ForwardRequest(s, Prompt)])[0].Last);
        lm.Forward([new ForwardRequest(s, new[] { next })]);
        lm.Dispose();
        lm.Dispose();
        Assert.Throws<ArgumentException>(() => lm.Forward([new ForwardRequest(s, new[] { next })]));
    }

    private static List<int> Sample(string dir, SamplingOptions options, int partners, ulong seed)
    {
        using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        var rng = new SequenceRandom(seed);
        var others = Enumerable.Range(0, partners).Select(_ => lm.OpenSession()).ToArray();
        var otherRng = new SequenceRandom(999);
        var main = lm.OpenSession();
        var requests = new List<ForwardRequest> { new(main, Prompt) };
        requests.AddRange(others.Select((s, i) => new ForwardRequest(s, Enumerable.Range(40, 3 + 2 * i).ToArray())));
        var output = new List<int>();
        for (var step = 0; step < 20; step++)
        {
            var results = lm.Forward(requests);
            var next = Sampler.Sample(results[0].Last, options, rng);
            output.Add(next);
            requests = [new(main, new[] { next })];
            requests.AddRange(others.Select((s, i) => new ForwardRequest(s, new[] { Sampler.Sample(results[i + 1].Last, options, otherRng) })));
        }
        return output;
    }

    private string Dir(string which) => which switch
    {
        "f32" => models.Float32,
        "f16" => models.Float16,
        _ => models.MaskPositions,
    };

    private static double MaxAbsDiff(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        Assert.Equal(a.Count, b.Count);
        var max = 0.0;
        for (var i = 0; i < a.Count; i++)
        {
            for (var j = 0; j < a[i].Length; j++)
            {
                max = Math.Max(max, Math.Abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
