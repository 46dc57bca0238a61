using EvalCluster.Inference.Models;
using EvalCluster.TestModels;

namespace EvalCluster.Bench.Inference;

/// <summary>
/// The engine's host work per decode step at a real vocabulary (Qwen3's 151,936): a 1-layer, d_model 64 float32 test
/// model whose step is mostly the output projection, decoded through <see cref="OnnxCausalLm"/> beside the bare
/// IOBinding loop of the same graph at the same context. The difference is what the engine adds per step: reading
/// every row's logits and computing its log-softmax (in parallel over the thread pool from
/// BatchRunner.ParallelLogProbElements logits on), the K/V copy back and the bookkeeping.
/// </summary>
public sealed class VocabBench : IBench
{
    private const int Vocab = 151_936;
    private const int Context = 64;
    private const int Steps = 12;

    public string Name => "vocab";

    public string Description => $"decode step at a {Vocab:N0}-token vocabulary (1 layer, d_model 64, float32), context {Context}: engine vs bare loop, batch 1/16/64/256; median of {Steps} steps, median ratio of 3 rounds";

    public void Run()
    {
        var spec = new TestModelSpec(Layers: 1, Hidden: 64, Heads: 4, KvHeads: 2, HeadDim: 16, FfnDim: 128, VocabSize: Vocab, Seed: 5, MaxPositions: 1024);
        var dir = TestModelWriter.WriteTemp(spec, "vocab-bench");
        Console.WriteLine("| batch | engine ms/step | bare loop ms/step | engine - bare ms | per row us |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        EngineDecodeLoop.WarmUp(lm);
        foreach (var batch in new[] { 1, 16, 64, 256 })
        {
            var engine = new EngineDecodeLoop(lm, batch, Context);
            var (em, bm) = engine.CompareWithBare(middle =>
            {
                using var bare = new BareDecodeLoop(dir, batch, middle, spec.Layers, spec.KvHeads, spec.HeadDim, spec.VocabSize, spec.PositionIdsInput);
                return bare.MedianStepMs(Steps);
            }, Steps);
            engine.Close();
            Console.WriteLine($"| {batch} | {em:F2} | {bm:F2} | {em - bm:F2} | {(em - bm) * 1e3 / batch:F0} |");
        }
    }
}
