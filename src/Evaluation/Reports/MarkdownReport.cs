using System.Globalization;
using System.Text;
using EvalCluster.Evaluation.Metrics;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Reports;

/// <summary>
/// report.md: the run's settings, then per task the arm table (percent; n, problems and samples per problem stated),
/// recovery, paired comparisons with p-values, per-subject and per-level tables, then the plots with captions.
/// </summary>
public static class MarkdownReport
{
    public static string Render(RunManifest manifest, RunSummary summary, IReadOnlyList<RunPlot> plots)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Run {summary.RunId}").AppendLine();
        sb.AppendLine($"Manifest hash `{manifest.ContentHash()[..16]}`; samples per problem {manifest.Samples}; seed {manifest.Seed}; temperature {F(manifest.Temperature)}; top-p {F(manifest.TopP)}.");
        foreach (var m in manifest.Models)
        {
            sb.AppendLine($"- {m.Role}: {m.Name} (sha256 `{(m.Sha256.Length >= 12 ? m.Sha256[..12] : m.Sha256)}`)");
        }
        sb.AppendLine().AppendLine($"All figures are percent. Intervals: {summary.Intervals}. rho-bar is the mean over responses of takeovers / tokens; " +
            "rho (tokens) is all takeovers / all tokens. Failed samples (no response, e.g. the prompt did not fit) count as not correct and are listed apart. " +
            $"Open [{RunViewer.File}]({RunViewer.File}) to browse the samples.").AppendLine();
        foreach (var (task, t) in summary.Tasks)
        {
            AppendTask(sb, task, t);
        }
        foreach (var plot in plots)
        {
            sb.AppendLine($"![{plot.Caption}]({plot.Png})").AppendLine();
            sb.AppendLine($"*{plot.Caption}* ([SVG]({plot.Svg}))").AppendLine();
        }
        return sb.ToString();
    }

    private static void AppendTask(StringBuilder sb, string task, TaskSummary t)
    {
        sb.AppendLine($"## {task}").AppendLine();
        var pass = t.Arms.Values.SelectMany(a => a.PassAtK.Keys).Distinct().Order().ToList();
        var maj = t.Arms.Values.SelectMany(a => a.MajAtK.Keys).Distinct().Order().ToList();
        var header = new List<string> { "arm", "n", "problems x samples", "accuracy", "95% CI" };
        header.AddRange(pass.Select(k => $"pass@{k}"));
        header.AddRange(maj.Select(k => $"maj@{k}"));
        header.AddRange(["rho-bar", "rho (tokens)", "failed", "truncated"]);
        sb.AppendLine("| " + string.Join(" | ", header) + " |");
        sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", header.Count - 1)));
        foreach (var (arm, a) in t.Arms)
        {
            var cells = new List<string> { arm, I(a.N), $"{a.Problems} x {a.SamplesPerProblem}", P(a.Accuracy), $"[{P(a.CiLow)}, {P(a.CiHigh)}]" };
            cells.AddRange(pass.Select(k => a.PassAtK.TryGetValue(k, out var v) ? $"{P(v.Value)} [{P(v.Low)}, {P(v.High)}]" : ""));
            cells.AddRange(maj.Select(k => a.MajAtK.TryGetValue(k, out var v) ? $"{P(v.Value)} [{P(v.Low)}, {P(v.High)}]" : ""));
            cells.AddRange([P2(a.Rho), P2(a.RhoTokenWeighted), I(a.Failed), P(a.Truncated)]);
            sb.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        sb.AppendLine();
        if (t.Recovery.Count > 0)
        {
            sb.AppendLine("| arm | recovery | 95% CI (bootstrap over problems) | relative to |").AppendLine("|---|---:|---|---|");
            foreach (var (arm, r) in t.Recovery)
            {
                sb.AppendLine($"| {arm} | {P(r.Value)} | [{P(r.CiLow)}, {P(r.CiHigh)}] | {r.BaseArm} -> {r.ReferenceArm} |");
            }
            sb.AppendLine();
        }
        if (t.Comparisons.Count > 0)
        {
            sb.AppendLine("| comparison | problems | accuracy difference (points) | 95% CI | p-value | test |").AppendLine("|---|---:|---:|---|---:|---|");
            foreach (var c in t.Comparisons)
            {
                sb.AppendLine($"| {c.Arm} - {c.Against} | {c.Problems} | {Signed(c.Difference)} | [{Signed(c.CiLow)}, {Signed(c.CiHigh)}] | {PValue(c.PValue)} | {c.Test} |");
            }
            sb.AppendLine();
        }
        AppendGroups(sb, "subject", t.Arms.ToDictionary(a => a.Key, a => a.Value.BySubject));
        AppendGroups(sb, "level", t.Arms.ToDictionary(a => a.Key, a => a.Value.ByLevel));
    }

    private static void AppendGroups(StringBuilder sb, string title, Dictionary<string, IReadOnlyDictionary<string, GroupSummary>?> byArm)
    {
        var keys = byArm.Values.Where(g => g is not null).SelectMany(g => g!.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return;
        }
        sb.AppendLine($"| {title} | " + string.Join(" | ", byArm.Keys) + " |");
        sb.AppendLine("|---|" + string.Concat(byArm.Keys.Select(_ => "---:|")));
        foreach (var key in keys)
        {
            var cells = byArm.Values.Select(g => g is not null && g.TryGetValue(key, out var s) ? $"{P(s.Accuracy)} (n={s.N})" : "");
            sb.AppendLine($"| {key} | {string.Join(" | ", cells)} |");
        }
        sb.AppendLine();
    }

    /// <summary>A fraction as percent with one decimal ("n/a" for NaN): the one unit of reports.</summary>
    public static string P(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Percent with two decimals, for budgets of a few percent.</summary>
    public static string P2(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Signed(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);

    /// <summary>A p-value with three decimals, "&lt;0.001" below that.</summary>
    public static string PValue(double p) => p < 0.001 ? "<0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);
}
