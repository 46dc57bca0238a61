using System.Globalization;
using System.Text;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Reports;

/// <summary>report.md: one section per task with the arm table, recovery, and per-subject and per-level tables.</summary>
public static class MarkdownReport
{
    public static string Render(RunManifest manifest, RunSummary summary, IReadOnlyList<string> plots)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Run {summary.RunId}").AppendLine();
        sb.AppendLine($"Manifest hash `{manifest.ContentHash()[..16]}`; samples per problem {manifest.Samples}; seed {manifest.Seed}; temperature {F(manifest.Temperature)}; top-p {F(manifest.TopP)}.");
        foreach (var m in manifest.Models)
        {
            sb.AppendLine($"- {m.Role}: {m.Name} (sha256 `{(m.Sha256.Length >= 12 ? m.Sha256[..12] : m.Sha256)}`)");
        }
        sb.AppendLine();
        foreach (var (task, t) in summary.Tasks)
        {
            AppendTask(sb, task, t);
        }
        foreach (var plot in plots)
        {
            sb.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({plot})").AppendLine();
        }
        return sb.ToString();
    }

    private static void AppendTask(StringBuilder sb, string task, TaskSummary t)
    {
        sb.AppendLine($"## {task}").AppendLine();
        var ks = t.Arms.Values.SelectMany(a => a.PassAtK.Keys).Distinct().Order().ToList();
        sb.AppendLine("| arm | n | accuracy | 95% CI | " + string.Join(" | ", ks.Select(k => $"pass@{k}")) + " | " + string.Join(" | ", ks.Select(k => $"maj@{k}")) + " | rho | truncated |");
        sb.AppendLine("|---|---:|---:|---|" + string.Concat(Enumerable.Repeat("---:|", 2 * ks.Count)) + "---:|---:|");
        foreach (var (arm, a) in t.Arms)
        {
            var pass = ks.Select(k => a.PassAtK.TryGetValue(k, out var v) ? P(v) : "");
            var maj = ks.Select(k => a.MajAtK.TryGetValue(k, out var v) ? P(v) : "");
            sb.AppendLine($"| {arm} | {a.N} | {P(a.Accuracy)} | [{P(a.CiLow)}, {P(a.CiHigh)}] | {string.Join(" | ", pass)} | {string.Join(" | ", maj)} | {F(a.Rho)} | {P(a.Truncated)} |");
        }
        sb.AppendLine();
        if (t.Recovery.Count > 0)
        {
            sb.AppendLine("| arm | recovery | 95% CI (bootstrap) | relative to |").AppendLine("|---|---:|---|---|");
            foreach (var (arm, r) in t.Recovery)
            {
                sb.AppendLine($"| {arm} | {F(r.Value)} | [{F(r.CiLow)}, {F(r.CiHigh)}] | {r.BaseArm} -> {r.ReferenceArm} |");
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

    private static string P(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("0.0", CultureInfo.InvariantCulture);

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);
}
