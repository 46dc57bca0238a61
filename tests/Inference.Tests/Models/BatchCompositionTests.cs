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
        var dir = which switch
        {
            "f32" => models.Float32,
            "genai" => models.GenAi,
            _ => Path.Combine(RepoPaths.Root, "models", "toy", which["toy-".Length..]),
        };
        using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
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

        // The decoding set changed almost every step (joins, leaves): bindings follow the slot range, but decode-output
        // memory is allocated once per pool layout, not per range (it was reallocated with every binding).
        var (bindings, allocations, layouts) = lm.DecodeCounters;
        if (lm.Signature.HasKvCache)
        {
            Assert.True(bindings >= 2 * allocations && allocations <= layouts,
                $"{bindings} decode bindings, {allocations} decode allocations, {layouts} pool layouts");
        }
        for (var i = 0; i < sequences; i++)
        {
            Assert.Equal(solo[i].Count, batched[i].Count);
            var diff = solo[i].Zip(batched[i]).Max(p => p.First.Zip(p.Second).Max(x => Math.Abs(x.First - x.Second)));
            Assert.InRange(diff, 0, 1e-3);
        }
    }

    private static int Greedy(float[] lp) => Sampler.Sample(lp, SamplingOptions.Greedy, new SequenceRandom(0));
}
