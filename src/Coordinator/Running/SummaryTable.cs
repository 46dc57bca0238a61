using System.Globalization;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;
using Spectre.Console;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// The final table of a run, in percent like report.md and the plots: per task and arm, problems x samples,
/// accuracy with its 95% interval (bootstrap over problems), pass@n when there are several samples, rho-bar (rho %),
/// failures and recovery.
/// </summary>
public static class SummaryTable
{
    public static Table Render(RunSummary summary)
    {
        var passK = summary.Tasks.Values.SelectMany(t => t.Arms.Values).Select(a => a.SamplesPerProblem).DefaultIfEmpty(1).Min();
        var showPass = passK > 1 && summary.Tasks.Values.All(t => t.Arms.Values.All(a => a.PassAtK.ContainsKey(passK)));
        // Short headers: the table must fit an 80-column terminal with a few arms.
        var columns = new List<string> { "task", "arm", "n", "acc %", "95% CI %" };
        if (showPass)
        {
            columns.Add($"pass@{passK} %");
        }
        columns.AddRange(["rho %", "failed", "recov. %"]);
        var table = new Table().AddColumns([.. columns.Select(c => new TableColumn(c).NoWrap())])
            .Caption("n: problems x samples; CI: bootstrap over problems; rho: rho-bar");
        foreach (var (task, t) in summary.Tasks)
        {
            foreach (var (arm, a) in t.Arms)
            {
                var recovery = t.Recovery.TryGetValue(arm, out var r) && !double.IsNaN(r.Value) ? MarkdownReport.P(r.Value) : "";
                var cells = new List<string>
                {
                    Markup.Escape(task), Markup.Escape(arm), string.Create(CultureInfo.InvariantCulture, $"{a.Problems}x{a.SamplesPerProblem}"),
                    MarkdownReport.P(a.Accuracy), $"{MarkdownReport.P(a.CiLow)}-{MarkdownReport.P(a.CiHigh)}",
                };
                if (showPass)
                {
                    cells.Add(MarkdownReport.P(a.PassAtK[passK].Value));
                }
                cells.AddRange([MarkdownReport.P2(a.Rho), a.Failed.ToString(CultureInfo.InvariantCulture), recovery]);
                table.AddRow([.. cells]);
            }
        }
        return table;
    }
}
