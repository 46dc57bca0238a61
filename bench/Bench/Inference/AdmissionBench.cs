using System.Diagnostics;
using EvalCluster.Grains.Models;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Bench.Inference;

/// <summary>
/// Worst-case vs in-use KV admission through a real ForwardBatcher over the shipped toy base model: many greedy
/// generations that declare a long worst case (prompt + max new tokens) but stop early, under one KV budget.
/// </summary>
public sealed class AdmissionBench : IBench
{
    private const int Generations = 64;
    private const int PromptTokens = 32;
    private const int Generate = 48;
    private const int MaxNewTokens = 448;

    public string Name => "admission";

    public string Description => $"KV admission on the toy base model (CPU): {Generations} greedy generations, prompt {PromptTokens}, {Generate} tokens each, declared max new tokens {MaxNewTokens} (median of 3 after a warm-up)";

    public void Run()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "../../../../models/toy/base");
        dir = Directory.Exists(dir) ? dir : "models/toy/base";
        const int worst = PromptTokens + MaxNewTokens;
        Measure(dir, new KvLimits(8L * worst), Generations); // warm-up: tiered JIT and ONNX Runtime's shapes
        Console.WriteLine("| admission | budget (worst cases) | sessions resident at once (max) | preemptions | tokens/s | wall s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (label, budgetSessions, worstCase) in new[] { ("worst-case", 8, true), ("in use", 8, false), ("worst-case", 2, true), ("in use", 2, false) })
        {
            var runs = Enumerable.Range(0, 3).Select(_ => Measure(dir, new KvLimits(budgetSessions * worst, worstCase), Generations)).OrderBy(r => r.Wall).ToList();
            var (resident, preemptions, tokensPerSecond, wall) = runs[1];
            Console.WriteLine($"| {label} | {budgetSessions} | {resident} | {preemptions} | {tokensPerSecond:N0} | {wall:F2} |");
        }
    }

    // Budgets are in tokens here; the batcher gets bytes.
    private static (int Resident, int Preemptions, double TokensPerSecond, double Wall) Measure(string dir, KvLimits tokens, int generations)
    {
        var model = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        var limits = tokens with { BudgetBytes = tokens.BudgetBytes * model.KvBytesPerToken };
        using var batcher = new ForwardBatcher(model, 256, TimeSpan.FromMilliseconds(2), kv: limits);
        var sw = Stopwatch.StartNew();
        Task.WaitAll([.. Enumerable.Range(0, generations).Select(i => Task.Run(async () =>
        {
            var session = await batcher.OpenSessionAsync(PromptTokens + MaxNewTokens);
            var prompt = Enumerable.Range(0, PromptTokens).Select(t => 32 + (i * 13 + t * 7) % 90).ToArray();
            var result = await batcher.ForwardAsync(session, prompt);
            for (var t = 1; t < Generate; t++)
            {
                result = await batcher.ForwardAsync(session, new[] { DivergenceKernels.ArgMax(result.Last) });
            }
            await batcher.CloseSessionAsync(session);
        }))]);
        var wall = sw.Elapsed.TotalSeconds;
        return (batcher.MaxResident, batcher.Preemptions, generations * Generate / wall, wall);
    }
}
