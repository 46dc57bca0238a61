using System.Text;
using EvalCluster.Evaluation.Extraction;
using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Bench.Evaluation;

/// <summary>Answer extraction (and normalisation) per second on one thread over the 500 MATH-500 solutions.</summary>
public sealed class ExtractionBench : IBench
{
    public string Name => "extraction";

    public string Description => "AnswerExtractor on one thread over the 500 MATH-500 solution texts, median of 5 passes after a warm-up pass";

    public void Run()
    {
        var solutions = Math500Data.Load().Select(d => d.Solution).ToList();
        var mb = solutions.Sum(s => Encoding.UTF8.GetByteCount(s)) / 1e6;
        var thinking = solutions.Select(s => "<think>" + s + "</think>\n" + s).ToList();
        var workloads = new (string Name, IReadOnlyList<string> Texts, Action<string> Work)[]
        {
            ("boxed, answer_is, bare, math (default pipeline)", solutions, s => AnswerExtractor.Extract(s)),
            ("math only (rightmost LaTeX or plain number/expression)", solutions, s => AnswerExtractor.Extract(s, ["math"])),
            ("answer_is only (answer phrases, nine languages)", solutions, s => AnswerExtractor.Extract(s, ["answer_is"])),
            ("flexible only (last number)", solutions, s => AnswerExtractor.Extract(s, ["flexible"])),
            ("default pipeline on <think>solution</think> solution", thinking, s => AnswerExtractor.Extract(s)),
            ("default pipeline + normalisation of the answer", solutions, s => AnswerNormalizer.Normalize(AnswerExtractor.Extract(s) ?? "")),
        };
        Console.WriteLine($"Solutions: {solutions.Count}, {mb:F2} MB of text (mean {1e6 * mb / solutions.Count:N0} bytes).");
        Console.WriteLine();
        Console.WriteLine("| workload | texts/s | MB/s | p50 µs | p99 µs | max µs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, texts, work) in workloads)
        {
            var t = Timing.Measure(texts, work);
            var textMb = texts.Sum(s => Encoding.UTF8.GetByteCount(s)) / 1e6;
            Console.WriteLine($"| {name} | {t.ItemsPerSecond:N0} | {t.ItemsPerSecond * textMb / texts.Count:F1} | {t.P50Us:F1} | {t.P99Us:F1} | {t.MaxUs:F0} |");
        }
    }
}
