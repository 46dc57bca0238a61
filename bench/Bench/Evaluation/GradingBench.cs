using EvalCluster.Evaluation.Extraction;
using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Bench.Evaluation;

/// <summary>MathGrader comparisons per second on one thread, on MATH-500 gold answers against solution answers.</summary>
public sealed class GradingBench : IBench
{
    public string Name => "grading";

    public string Description => "MathGrader.Grade on one thread, MATH-500 (500 gold answers), median of 5 passes after a warm-up pass";

    public void Run()
    {
        var data = Math500Data.Load();
        var extracted = data.Select(d => (d.Answer, Prediction: AnswerExtractor.Extract(d.Solution) ?? "")).ToList();
        var grader = MathGrader.Default;
        var workloads = new (string Name, IReadOnlyList<(string Gold, string Prediction)> Pairs)[]
        {
            ("gold vs itself (text-equal shortcut)", [.. data.Select(d => (d.Answer, d.Answer))]),
            ("gold vs extracted solution answer", extracted),
            ("gold vs another problem's answer (unequal, full parse)", [.. data.Select((d, i) => (d.Answer, data[(i + 1) % data.Count].Answer))]),
            ("gold vs gold + \" + 0\" (equal, full parse and evaluation)", [.. data.Select(d => (d.Answer, d.Answer + " + 0"))]),
        };
        Console.WriteLine("| workload | pairs | equal | comparisons/s | p50 µs | p99 µs | max µs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, pairs) in workloads)
        {
            var equal = pairs.Count(p => grader.Grade(p.Gold, p.Prediction).Equal);
            var t = Timing.Measure(pairs, p => grader.Grade(p.Gold, p.Prediction));
            Console.WriteLine($"| {name} | {pairs.Count} | {equal} | {t.ItemsPerSecond:N0} | {t.P50Us:F1} | {t.P99Us:F1} | {t.MaxUs:F0} |");
        }
    }
}
