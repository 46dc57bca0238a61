using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EvalCluster.Evaluation.Metrics;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Reports;

/// <summary>
/// report.html: one self-contained page (inline style and script, plots as data URIs, no network) that opens from
/// disk. Samples live in side files under viewer/ that the page loads with &lt;script src&gt; (file:// forbids fetching
/// JSON): index.js holds one compact row per sample for the list and its filters; samples-NNNNN.js hold the text and
/// token traces of <see cref="ChunkSize"/> samples each, sorted by task, problem, sample and arm so that one problem's
/// arms sit together. The page shows 50 rows at a time and loads only the chunks it shows.
/// </summary>
public static class RunViewer
{
    public const string File = "report.html";
    public const string Folder = "viewer";
    public const int ChunkSize = 500;

    /// <param name="scoreScale">The top of the score colour scale, from <see cref="ScoreScale"/> (computed first, since it checks every trace).</param>
    public static void Write(string folder, RunManifest manifest, RunSummary summary, IReadOnlyList<RunPlot> plots, IReadOnlyList<SampleRecord> samples, double scoreScale)
    {
        var sorted = samples.OrderBy(s => s.Task, StringComparer.Ordinal).ThenBy(s => s.ProblemId, StringComparer.Ordinal)
            .ThenBy(s => s.Sample).ThenBy(s => s.Arm, StringComparer.Ordinal).ToList();
        var temp = Path.Combine(folder, Folder + ".tmp");
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
        Directory.CreateDirectory(temp);
        System.IO.File.WriteAllText(Path.Combine(temp, "index.js"), "EVC.index(" + JsonSerializer.Serialize(Index(sorted, scoreScale)) + ");\n");
        for (var c = 0; c * ChunkSize < sorted.Count; c++)
        {
            System.IO.File.WriteAllText(Path.Combine(temp, $"samples-{c:00000}.js"),
                $"EVC.chunk({c}, " + JsonSerializer.Serialize(Chunk(sorted.Skip(c * ChunkSize).Take(ChunkSize).ToList())) + ");\n");
        }
        var target = Path.Combine(folder, Folder);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        Directory.Move(temp, target);
        var html = Resource("viewer.html")
            .Replace("{{CSS}}", Resource("viewer.css"))
            .Replace("{{JS}}", Resource("viewer.js"))
            .Replace("{{TITLE}}", H($"Run {summary.RunId}: {string.Join(", ", summary.Tasks.Keys)}"))
            .Replace("{{HEADER}}", Header(manifest, summary))
            .Replace("{{SUMMARY}}", SummaryHtml(summary))
            .Replace("{{PLOTS}}", PlotsHtml(folder, plots));
        var path = Path.Combine(folder, File);
        System.IO.File.WriteAllText(path + ".tmp", html);
        System.IO.File.Move(path + ".tmp", path, overwrite: true);
    }

    private static object Index(IReadOnlyList<SampleRecord> s, double scoreScale)
    {
        var tasks = s.Select(r => r.Task).Distinct().ToList();
        var arms = ArmFamilies.Order(s.Select(r => r.Arm).Distinct()).ToList();
        var problems = s.Select(r => r.ProblemId).Distinct().ToList();
        var problemIndex = problems.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var gold = new string[problems.Count];
        foreach (var r in s)
        {
            gold[problemIndex[r.ProblemId]] = r.Gold;
        }
        return new
        {
            chunk = ChunkSize,
            scale = scoreScale,
            tasks,
            arms,
            problems,
            gold,
            t = s.Select(r => tasks.IndexOf(r.Task)).ToArray(),
            a = s.Select(r => arms.IndexOf(r.Arm)).ToArray(),
            p = s.Select(r => problemIndex[r.ProblemId]).ToArray(),
            s = s.Select(r => r.Sample).ToArray(),
            c = s.Select(r => r.Error is not null ? 2 : r.Correct ? 1 : 0).ToArray(),
            x = s.Select(r => Short(r.Extracted ?? "")).ToArray(),
            rho = s.Select(r => Math.Round(r.Rho, 5)).ToArray(),
        };
    }

    private static object Chunk(IReadOnlyList<SampleRecord> s)
    {
        var prompts = new List<string>();
        var promptIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<object?[]>();
        foreach (var r in s)
        {
            if (!promptIndex.TryGetValue(r.Prompt, out var pi))
            {
                pi = promptIndex[r.Prompt] = prompts.Count;
                prompts.Add(r.Prompt);
            }
            rows.Add([pi, r.Response, r.Trace?.Sources, r.Trace?.ScoresF16, r.Trace?.Ends, r.Error, r.Takeovers, r.ResponseTokens, Math.Round(r.Rho, 5)]);
        }
        return new { p = prompts, r = rows };
    }

    /// <summary>The 99th percentile of the run's finite token scores (the top of the colour scale; 1 without traces).</summary>
    public static double ScoreScale(IEnumerable<SampleRecord> samples)
    {
        var scores = new List<double>();
        foreach (var sample in samples.Where(s => s.Trace is not null))
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(sample.Trace!.ScoresF16);
            }
            catch (FormatException)
            {
                throw new EvaluationException($"samples.jsonl: {sample.Task}/{sample.ProblemId}/{sample.Sample}/{sample.Arm}: trace.scores_f16 is not base64; " +
                    "delete the line and resume the run to regenerate it.");
            }
            for (var i = 0; i + 1 < bytes.Length && scores.Count < 1_000_000; i += 2)
            {
                var v = (double)BitConverter.ToHalf(bytes, i);
                if (double.IsFinite(v) && v >= 0)
                {
                    scores.Add(v);
                }
            }
        }
        if (scores.Count == 0)
        {
            return 1;
        }
        scores.Sort();
        var p99 = scores[(int)Math.Floor(0.99 * (scores.Count - 1))];
        return p99 > 0 ? Math.Round(p99, 4) : 1;
    }

    private static string Header(RunManifest manifest, RunSummary summary)
    {
        var sb = new StringBuilder();
        sb.Append("<p>").Append(H(string.Join(" | ", manifest.Models.Select(m => $"{m.Role}: {m.Name}")))).Append("</p>");
        sb.Append("<p>").Append(H(string.Create(CultureInfo.InvariantCulture,
            $"samples per problem {manifest.Samples}; temperature {manifest.Temperature:0.###}; top-p {manifest.TopP:0.###}; seed {manifest.Seed}; intervals: {summary.Intervals}"))).Append("</p>");
        return sb.ToString();
    }

    private static string SummaryHtml(RunSummary summary)
    {
        var sb = new StringBuilder();
        foreach (var (task, t) in summary.Tasks)
        {
            sb.Append("<h2>").Append(H(task)).Append("</h2>");
            var ks = t.Arms.Values.SelectMany(a => a.PassAtK.Keys).Distinct().Order().ToList();
            sb.Append("<table class=\"summary\"><thead><tr><th>arm</th><th>problems x samples</th><th>accuracy %</th><th>95% CI</th>");
            foreach (var k in ks)
            {
                sb.Append("<th>pass@").Append(k).Append(" %</th>");
            }
            sb.Append("<th>rho-bar %</th><th>rho (tokens) %</th><th>failed</th><th>recovery %</th></tr></thead><tbody>");
            foreach (var (arm, a) in t.Arms)
            {
                sb.Append("<tr data-arm=\"").Append(H(arm)).Append("\"><td>").Append(H(arm)).Append("</td><td>")
                    .Append(a.Problems).Append(" x ").Append(a.SamplesPerProblem).Append("</td><td>").Append(MarkdownReport.P(a.Accuracy))
                    .Append("</td><td>[").Append(MarkdownReport.P(a.CiLow)).Append(", ").Append(MarkdownReport.P(a.CiHigh)).Append("]</td>");
                foreach (var k in ks)
                {
                    sb.Append("<td>").Append(a.PassAtK.TryGetValue(k, out var v) ? MarkdownReport.P(v.Value) : "").Append("</td>");
                }
                var recovery = t.Recovery.TryGetValue(arm, out var r) ? MarkdownReport.P(r.Value) : "";
                sb.Append("<td>").Append(MarkdownReport.P2(a.Rho)).Append("</td><td>").Append(MarkdownReport.P2(a.RhoTokenWeighted))
                    .Append("</td><td>").Append(a.Failed).Append("</td><td>").Append(recovery).Append("</td></tr>");
            }
            sb.Append("</tbody></table>");
            if (t.Comparisons.Count > 0)
            {
                sb.Append("<table><thead><tr><th>comparison</th><th>problems</th><th>difference (points)</th><th>95% CI</th><th>p-value</th><th>test</th></tr></thead><tbody>");
                foreach (var c in t.Comparisons)
                {
                    sb.Append("<tr><td>").Append(H($"{c.Arm} - {c.Against}")).Append("</td><td>").Append(c.Problems).Append("</td><td>")
                        .Append(MarkdownReport.P(c.Difference)).Append("</td><td>[").Append(MarkdownReport.P(c.CiLow)).Append(", ")
                        .Append(MarkdownReport.P(c.CiHigh)).Append("]</td><td>").Append(MarkdownReport.PValue(c.PValue))
                        .Append("</td><td>").Append(H(c.Test)).Append("</td></tr>");
                }
                sb.Append("</tbody></table>");
            }
        }
        return sb.ToString();
    }

    private static string PlotsHtml(string folder, IReadOnlyList<RunPlot> plots)
    {
        var sb = new StringBuilder();
        foreach (var plot in plots)
        {
            var png = Convert.ToBase64String(System.IO.File.ReadAllBytes(Path.Combine(folder, plot.Png)));
            sb.Append("<figure><img alt=\"").Append(H(plot.Caption)).Append("\" src=\"data:image/png;base64,").Append(png)
                .Append("\"><figcaption>").Append(H(plot.Caption)).Append(" <a href=\"").Append(H(plot.Svg)).Append("\">SVG</a></figcaption></figure>\n");
        }
        return sb.ToString();
    }

    private static string Short(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static string H(string text) => WebUtility.HtmlEncode(text);

    private static string Resource(string name)
    {
        using var stream = typeof(RunViewer).Assembly.GetManifestResourceStream("EvalCluster.Viewer." + name)
            ?? throw new InvalidOperationException($"viewer resource {name} missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
