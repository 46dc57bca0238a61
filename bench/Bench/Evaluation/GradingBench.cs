using System.Diagnostics;
using System.Text.RegularExpressions;
using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Bench.Evaluation;

/// <summary>
/// Math-Verify-style grading (MathGrader.GradeTexts: extraction on both sides, then comparison) per second
/// on one core, over MATH-500 gold answers against whole solution texts used as responses; then the
/// answer-to-answer comparison alone (grade --no-extract).
/// </summary>
public sealed partial class GradingBench : IBench
{
    public string Name => "grading";

    public string Description => "MathGrader on one core (process pinned to CPU 0 where supported), MATH-500, median of 5 passes after a warm-up pass";

    public void Run()
    {
        var pinned = PinToOneCore();
        var data = Math500Data.Load();
        var grader = MathGrader.Default;
        // Responses without \boxed{}: the answer is then found by the answer phrase, LaTeX or plain-text extractors.
        var unboxed = data.Select(d => (d.Answer, Response: Unbox(d.Solution))).ToList();
        var textWorkloads = new (string Name, IReadOnlyList<(string Gold, string Response)> Pairs)[]
        {
            ("gold vs whole solution text (boxed answer)", [.. data.Select(d => (d.Answer, d.Solution))]),
            ("gold vs solution with \\boxed{} unwrapped (phrase/LaTeX/plain extraction)", unboxed),
            ("gold vs another problem's solution (unequal)", [.. data.Select((d, i) => (d.Answer, data[(i + 1) % data.Count].Solution))]),
            ("gold vs <think>solution</think> solution", [.. data.Select(d => (d.Answer, "<think>" + d.Solution + "</think>\n" + d.Solution))]),
        };
        Console.WriteLine($"One core: {(pinned ? "process pinned to CPU 0" : "not pinned (unsupported here), one thread")}.");
        Console.WriteLine();
        Console.WriteLine("| workload (GradeTexts: extraction + comparison) | pairs | equal | timed out | pairs/s | p50 µs | p99 µs | max µs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, pairs) in textWorkloads)
        {
            var results = pairs.Select(p => grader.GradeTexts(p.Gold, p.Response)).ToList();
            var t = Timing.Measure(pairs, p => grader.GradeTexts(p.Gold, p.Response));
            Console.WriteLine($"| {name} | {pairs.Count} | {results.Count(r => r.Equal)} | {results.Count(r => r.TimedOut)} | {t.ItemsPerSecond:N0} | {t.P50Us:F1} | {t.P99Us:F1} | {t.MaxUs:F0} |");
        }
        Console.WriteLine();
        var answerWorkloads = new (string Name, IReadOnlyList<(string Gold, string Prediction)> Pairs)[]
        {
            ("gold vs itself (text-equal shortcut)", [.. data.Select(d => (d.Answer, d.Answer))]),
            ("gold vs another problem's answer (unequal, full parse)", [.. data.Select((d, i) => (d.Answer, data[(i + 1) % data.Count].Answer))]),
            ("gold vs gold + \" + 0\" (equal, full parse and evaluation)", [.. data.Select(d => (d.Answer, d.Answer + " + 0"))]),
        };
        Console.WriteLine("| workload (Grade: answers only, --no-extract) | pairs | equal | pairs/s | p50 µs | p99 µs | max µs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, pairs) in answerWorkloads)
        {
            var equal = pairs.Count(p => grader.Grade(p.Gold, p.Prediction).Equal);
            var t = Timing.Measure(pairs, p => grader.Grade(p.Gold, p.Prediction));
            Console.WriteLine($"| {name} | {pairs.Count} | {equal} | {t.ItemsPerSecond:N0} | {t.P50Us:F1} | {t.P99Us:F1} | {t.MaxUs:F0} |");
        }
    }

    private static string Unbox(string solution) => Boxed().Replace(solution, "$1");

    private static bool PinToOneCore()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return false;
        }
        try
        {
            Process.GetCurrentProcess().ProcessorAffinity = 1;
            return true;
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }

    // One level of nested braces covers \boxed{\frac{1}{2}}; deeper boxes stay boxed.
    [GeneratedRegex(@"\\boxed\{((?:[^{}]|\{[^{}]*\})*)\}")]
    private static partial Regex Boxed();
}
