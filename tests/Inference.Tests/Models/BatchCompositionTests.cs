using EvalCluster.Inference.Models;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Tests.Models;

/// <summary>
/// Sessions join (with a multi-token prefill) and leave while others decode, as in a model grain's batches;
/// every sequence must get exactly the log-probabilities it gets when run alone.
/// </summary>
public sealed class BatchCompositionTests(TestModelFixture models) : IClassFixture<TestModelFixture>
{
    public static TheoryData<string> Models => new() { "f32", "genai", "toy-base", "toy-guide" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Sequences_joining_and_leaving_a_running_batch_match_their_solo_runs(string which)
    {
        using var lm = Load(which);
        var rng = new Random(5);
        const int sequences = 24;
        var prompts = Enumerable.Range(0, sequences)
            .Select(_ => Enumerable.Range(0, rng.Next(1, 30)).Select(_ => rng.Next(32, 127)).ToArray()).ToArray();
        var lengths = Enumerable.Range(0, sequences).Select(_ => rng.Next(1, 40)).ToArray();
        var joinAt = Enumerable.Range(0, sequences).Select(_ => rng.Next(0, 30)).ToArray();

        var solo = new List<float[]>[sequences];
        for (var i = 0; i < sequences; i++)
        {
            var s = lm.OpenSession();
            solo[i] = [lm.Forward([new ForwardRequest(s, prompts[i])])[0].Last];
            for (var t = 0; t < lengths[i]; t++)
            {
                solo[i].Add(lm.Forward([new ForwardRequest(s, new[] { Greedy(solo[i][^1]) })])[0].Last);
            }
            lm.CloseSession(s);
        }

        var batched = Enumerable.Range(0, sequences).Select(_ => new List<float[]>()).ToArray();
        var handles = new int[sequences];
        for (var step = 0; batched.Where((b, i) => b.Count < lengths[i] + 1).Any(); step++)
        {
            var active = new List<(int Seq, ForwardRequest Request)>();
            for (var i = 0; i < sequences; i++)
            {
                if (step == joinAt[i])
                {
                    handles[i] = lm.OpenSession();
                    active.Add((i, new ForwardRequest(handles[i], prompts[i])));
                }
                else if (step > joinAt[i] && batched[i].Count < lengths[i] + 1)
                {
                    active.Add((i, new ForwardRequest(handles[i], new[] { Greedy(batched[i][^1]) })));
                }
            }
            var results = lm.Forward(active.Select(a => a.Request).ToList());
            for (var k = 0; k < active.Count; k++)
            {
                batched[active[k].Seq].Add(results[k].Last);
                if (batched[active[k].Seq].Count == lengths[active[k].Seq] + 1)
                {
                    lm.CloseSession(handles[active[k].Seq]);
                }
            }
        }

        // Decode-output memory: a few allocations per pool layout (grown by half when a wider range decodes), not one
        // per slot range (it was reallocated whenever the range changed).
        var (_, changes, bindings, allocations, layouts) = lm.DecodeCounters;
        Assert.True(!lm.Signature.HasKvCache || (allocations <= 3 * layouts && bindings <= changes + layouts),
            $"{changes} range changes, {bindings} bindings, {allocations} allocations, {layouts} pool layouts");
        for (var i = 0; i < sequences; i++)
        {
            Assert.Equal(solo[i].Count, batched[i].Count);
            var diff = solo[i].Zip(batched[i]).Max(p => p.First.Zip(p.Second).Max(x => Math.Abs(x.First - x.Second)));
            Assert.InRange(diff, 0, 1e-3);
        }
    }

    /// <summary>
    /// Six sessions, of which a different two sit out each step (as sessions wait on the other model): the slot
    /// range changes every step among three ranges. Bindings are made once per range and reused, memory once per
    /// pool layout (plus growth), and a GenAI graph's decode mask, now kept per slot across ranges, still gives every
    /// session its solo log-probabilities.
    /// </summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void Decode_ranges_that_change_every_step_reuse_memory_and_bindings_and_match_solo_runs(string which)
    {
        using var lm = Load(which);
        const int sequences = 6, tokens = 36;
        var rng = new Random(11);
        var prompts = Enumerable.Range(0, sequences).Select(_ => Enumerable.Range(0, rng.Next(2, 20)).Select(_ => rng.Next(32, 127)).ToArray()).ToArray();
        var solo = new List<float[]>[sequences];
        for (var i = 0; i < sequences; i++)
        {
            var s = lm.OpenSession();
            solo[i] = [lm.Forward([new ForwardRequest(s, prompts[i])])[0].Last];
            for (var t = 0; t < tokens; t++)
            {
                solo[i].Add(lm.Forward([new ForwardRequest(s, new[] { Greedy(solo[i][^1]) })])[0].Last);
            }
            lm.CloseSession(s);
        }
        var before = lm.DecodeCounters;
        var handles = Enumerable.Range(0, sequences).Select(_ => lm.OpenSession()).ToArray();
        var batched = Enumerable.Range(0, sequences).Select(i => new List<float[]>()).ToArray();
        var prefills = lm.Forward([.. Enumerable.Range(0, sequences).Select(i => new ForwardRequest(handles[i], prompts[i]))]);
        for (var i = 0; i < sequences; i++)
        {
            batched[i].Add(prefills[i].Last);
        }
        for (var step = 0; batched.Any(b => b.Count < tokens + 1); step++)
        {
            var active = Enumerable.Range(0, sequences).Where(i => (i + step) % 3 != 0 && batched[i].Count < tokens + 1).ToList();
            var results = lm.Forward([.. active.Select(i => new ForwardRequest(handles[i], new[] { Greedy(batched[i][^1]) }))]);
            for (var k = 0; k < active.Count; k++)
            {
                batched[active[k]].Add(results[k].Last);
            }
        }

        for (var i = 0; i < sequences; i++)
        {
            var diff = solo[i].Zip(batched[i]).Max(p => p.First.Zip(p.Second).Max(x => Math.Abs(x.First - x.Second)));
            Assert.InRange(diff, 0, 1e-3);
        }
        if (lm.Signature.HasKvCache)
        {
            var after = lm.DecodeCounters;
            var (steps, changes, bindings) = (after.Steps - before.Steps, after.RangeChanges - before.RangeChanges, after.Bindings - before.Bindings);
            var (allocations, layouts) = (after.Allocations - before.Allocations, after.PoolLayouts - before.PoolLayouts + 1);
            var counts = $"{steps} steps, {changes} range changes, {bindings} bindings, {allocations} allocations, {layouts} pool layouts";
            Assert.True(changes * 10 >= steps * 8, $"the range should change on (nearly) every step: {counts}");
            Assert.True(bindings <= 3 * layouts && allocations <= 3 * layouts && bindings * 3 < changes, counts);
        }
    }

    private OnnxCausalLm Load(string which) => OnnxCausalLm.Load(which switch
    {
        "f32" => models.Float32,
        "genai" => models.GenAi,
        _ => Path.Combine(RepoPaths.Root, "models", "toy", which["toy-".Length..]),
    }, ExecutionOptions.Cpu);

    private static int Greedy(float[] lp) => Sampler.Sample(lp, SamplingOptions.Greedy, new SequenceRandom(0));
}
