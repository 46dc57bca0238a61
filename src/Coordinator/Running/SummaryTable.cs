using EvalCluster.Evaluation.Runs;
using Spectre.Console;

namespace EvalCluster.Coordinator.Running;

/// <summary>The final table of a run: per task and arm, n, accuracy with its 95% interval, rho and recovery.</summary>
public static class SummaryTable
{
    public static Table Render(RunSummary summary)
    {
        var table = new Table().AddColumns("task", "arm", "n", "accuracy", "95% CI", "rho", "recovery");
        foreach (var (task, t) in summary.Tasks)
        {
            foreach (var (arm, a) in t.Arms)
            {
                var recovery = t.Recovery.TryGetValue(arm, out var r) && !double.IsNaN(r.Value) ? $"{r.Value:0.00}" : "";
                table.AddRow(Markup.Escape(task), Markup.Escape(arm), a.N.ToString(), $"{a.Accuracy:0.000}",
                    Markup.Escape($"[{a.CiLow:0.000}, {a.CiHigh:0.000}]"), $"{a.Rho:0.000}", recovery);
            }
        }
        return table;
    }
}
