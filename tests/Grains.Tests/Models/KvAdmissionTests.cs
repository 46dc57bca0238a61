using EvalCluster.Grains.Models;
using EvalCluster.Inference;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Grains.Tests.Models;

/// <summary>
/// Admission by the KV memory actually in use, through a real <see cref="ForwardBatcher"/> over a real ONNX toy
/// model: more sessions run at once than worst-case admission allows, a budget that runs out mid-generation
/// preempts and recomputes without changing any greedy token, and a session larger than the whole budget fails at
/// once with one line.
/// </summary>
public sealed class KvAdmissionTests : IDisposable
{
    private const int Prompt = 8;
    private readonly string _dir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 57, WeightScale: 2f), "admission");

    [Fact]
    public async Task A_budget_holding_the_worst_case_of_two_sessions_runs_six_at_once_by_the_bytes_in_use()
    {
        const int maxTokens = 128, generate = 8;
        var alone = await GenerateAloneAsync(6, generate);

        var (inUse, inUseTokens) = await RunConcurrentlyAsync(6, maxTokens, generate, budgetTokens: 2 * maxTokens + maxTokens / 2, worstCase: false);
        var (worstCase, worstCaseTokens) = await RunConcurrentlyAsync(6, maxTokens, generate, budgetTokens: 2 * maxTokens + maxTokens / 2, worstCase: true);

        Assert.Equal(6, inUse.MaxResident);
        Assert.Equal(0, inUse.Preemptions);
        Assert.Equal(2, worstCase.MaxResident);
        Assert.Equal(alone, inUseTokens);
        Assert.Equal(alone, worstCaseTokens);
    }

    [Fact]
    public async Task A_budget_that_runs_out_mid_generation_preempts_and_every_generation_keeps_its_greedy_tokens()
    {
        const int generate = 40;
        var alone = await GenerateAloneAsync(4, generate);

        // Four prompts of 8 fit with their reserve; four sessions of 48 tokens do not fit in 100 tokens' bytes.
        var (batcher, tokens) = await RunConcurrentlyAsync(4, Prompt + generate, generate, budgetTokens: 100, worstCase: false);

        Assert.Equal(4, batcher.MaxResident);
        Assert.InRange(batcher.Preemptions, 1, 1000);
        Assert.Equal(alone, tokens);
    }

    [Fact]
    public async Task A_session_larger_than_the_whole_budget_fails_at_once_with_one_line()
    {
        using var model = OnnxCausalLm.Load(_dir, ExecutionOptions.Cpu);
        var bytesPerToken = model.KvBytesPerToken;
        using var batcher = new ForwardBatcher(model, 8, TimeSpan.FromMilliseconds(2), kv: new KvLimits(50 * bytesPerToken));
        var small = await batcher.OpenSessionAsync(20);
        var large = await batcher.OpenSessionAsync(60);

        var ex = await Assert.ThrowsAsync<InferenceException>(() => batcher.ForwardAsync(large, Enumerable.Range(40, 60).ToArray()).WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Contains("whole budget", ex.Message);
        Assert.Contains("KvBudgetBytes", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        // The refusal leaves the model usable for sessions that fit.
        Assert.Equal(model.VocabSize, (await batcher.ForwardAsync(small, new[] { 40, 41 }).WaitAsync(TimeSpan.FromMinutes(2))).Last.Length);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int[] PromptOf(int i) => [.. Enumerable.Range(0, Prompt).Select(t => 33 + (i * 11 + t * 5) % 200)];

    private static async Task<int[]> GenerateAsync(ForwardBatcher batcher, int session, int[] prompt, int generate)
    {
        var output = new List<int>();
        var result = await batcher.ForwardAsync(session, prompt);
        for (var t = 0; t < generate; t++)
        {
            var next = DivergenceKernels.ArgMax(result.Last);
            output.Add(next);
            if (t < generate - 1)
            {
                result = await batcher.ForwardAsync(session, new[] { next });
            }
        }
        return [.. output];
    }

    private async Task<int[][]> GenerateAloneAsync(int count, int generate)
    {
        using var batcher = new ForwardBatcher(OnnxCausalLm.Load(_dir, ExecutionOptions.Cpu), 1, TimeSpan.Zero);
        var outputs = new int[count][];
        for (var i = 0; i < count; i++)
        {
            var session = await batcher.OpenSessionAsync();
            outputs[i] = await GenerateAsync(batcher, session, PromptOf(i), generate);
            await batcher.CloseSessionAsync(session);
        }
        return outputs;
    }

    // All sessions are opened first, so the batching wait gathers every generation's request into each step.
    private async Task<(ForwardBatcher Batcher, int[][] Tokens)> RunConcurrentlyAsync(int count, int maxTokens, int generate, int budgetTokens, bool worstCase)
    {
        var model = OnnxCausalLm.Load(_dir, ExecutionOptions.Cpu);
        var batcher = new ForwardBatcher(model, 16, TimeSpan.FromMilliseconds(200), maxTokensPerStep: 256,
            kv: new KvLimits(budgetTokens * model.KvBytesPerToken, worstCase));
        using (batcher)
        {
            var sessions = new int[count];
            for (var i = 0; i < count; i++)
            {
                sessions[i] = await batcher.OpenSessionAsync(maxTokens);
            }
            var tokens = await Task.WhenAll(sessions.Select((s, i) => Task.Run(async () =>
            {
                var output = await GenerateAsync(batcher, s, PromptOf(i), generate);
                await batcher.CloseSessionAsync(s);
                return output;
            }))).WaitAsync(TimeSpan.FromMinutes(3));
            return (batcher, tokens);
        }
    }
}
