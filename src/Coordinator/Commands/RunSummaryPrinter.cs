using System.Globalization;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Commands;

/// <summary>Prints one line per task and arm of a run summary.</summary>
internal static class RunSummaryPrinter
{
    public static void Print(RunSummary summary)
    {
        foreach (var (task, t) in summary.Tasks)
        {
            foreach (var (arm, a) in t.Arms)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{task} {arm}: n={a.N} accuracy={100 * a.Accuracy:0.0}% [{100 * a.CiLow:0.0}, {100 * a.CiHigh:0.0}] rho={a.Rho:0.000} truncated={100 * a.Truncated:0.0}%"));
            }
        }
    }
}
