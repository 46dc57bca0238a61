using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Commands;

/// <summary>Prints one line per task and arm of a run summary, in percent like the run table and report.md.</summary>
internal static class RunSummaryPrinter
{
    public static void Print(RunSummary summary)
    {
        foreach (var (task, t) in summary.Tasks)
        {
            foreach (var (arm, a) in t.Arms)
            {
                Console.Out.WriteLine($"{task} {arm}: {a.Problems} problems x {a.SamplesPerProblem} samples, accuracy {MarkdownReport.P(a.Accuracy)}% " +
                    $"[{MarkdownReport.P(a.CiLow)}, {MarkdownReport.P(a.CiHigh)}], rho-bar {MarkdownReport.P2(a.Rho)}%, " +
                    $"failed {a.Failed}, truncated {MarkdownReport.P(a.Truncated)}%");
            }
        }
    }
}
