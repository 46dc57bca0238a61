using EvalCluster.Grains.Models;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;

namespace EvalCluster.Grains.Tests.Models;

/// <summary>
/// The model thread's step plan: decode requests first, prefills chunked under the token budget, one piece per
/// session in arrival order; and through a real <see cref="ForwardBatcher"/>, a chunked prefill gives the
/// log-probabilities of an unchunked one while other sessions keep decoding between its chunks.
/// </summary>
public sealed class StepSchedulingTests
{
    [Fact]
    public void Decode_requests_go_first_and_a_long_prefill_is_cut_to_the_token_budget()
    {
        var prefill = Work(1, 5000);
        var decodes = Enumerable.Range(2, 3).Select(s => Work(s, 1)).ToList();

        var step = StepPlanner.Plan([prefill, .. decodes], maxRows: 8, tokenBudget: 2048);

        Assert.Equal([2, 3, 4, 1], step.Select(p => p.Work.Session));
        Assert.Equal([1, 1, 1, 2045], step.Select(p => p.Count));
    }

    [Fact]
    public void A_session_piece_never_overtakes_its_earlier_request_and_rows_are_capped()
    {
        var first = Work(1, 10);
        var later = Work(1, 1);
        var others = Enumerable.Range(2, 5).Select(s => Work(s, 1)).ToList();

        var step = StepPlanner.Plan([first, later, .. others], maxRows: 4, tokenBudget: 4);

        Assert.DoesNotContain(step, p => p.Work == later);
        Assert.Equal([2, 3, 4, 5], step.Select(p => p.Work.Session));
        Assert.Single(StepPlanner.Plan([first, later], maxRows: 4, tokenBudget: 4), p => p.Work == first && p.Count == 4);
    }

    [Fact]
    public async Task A_prefill_fed_in_chunks_matches_one_prefill_while_other_sessions_keep_decoding()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 31), "sched");
        var prompt = Enumerable.Range(0, 300).Select(i => 32 + i * 7 % 90).ToArray();
        float[] expected;
        using (var alone = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu))
        {
            expected = alone.Forward([new ForwardRequest(alone.OpenSession(), prompt)])[0].Last;
        }
        var sizes = new List<int>();
        // A long batching wait makes every step hold both sessions' requests (the decoder re-queues within ms).
        using var batcher = new ForwardBatcher(OnnxCausalLm.Load(dir, ExecutionOptions.Cpu), maxBatch: 16, TimeSpan.FromSeconds(30), sizes.Add, maxTokensPerStep: 64);
        var decoder = await batcher.OpenSessionAsync();
        await batcher.ForwardAsync(decoder, new[] { 65, 66 });
        var longSession = await batcher.OpenSessionAsync();

        var prefill = batcher.ForwardAsync(longSession, prompt);
        var decodeSteps = 0;
        while (!prefill.IsCompleted && decodeSteps < 100)
        {
            await batcher.ForwardAsync(decoder, new[] { 67 });
            decodeSteps++;
        }
        var chunked = (await prefill).Last;

        Assert.InRange(chunked.Zip(expected).Max(p => Math.Abs(p.First - p.Second)), 0, 1e-4);
        Assert.Equal(300, (await batcher.SessionTokensAsync(longSession)).Count);
        // 300 tokens at 63 per step (the decode token takes one of the 64) take 5 steps, each with the decoder in it.
        Assert.Equal(5, decodeSteps);
        Assert.Equal([1, 2, 2, 2, 2, 2], sizes);
    }

    private static BatchWork.Forward Work(int session, int tokens) => new(session, new int[tokens]);
}
