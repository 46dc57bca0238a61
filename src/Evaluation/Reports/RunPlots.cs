using System.Globalization;
using EvalCluster.Evaluation.Metrics;
using EvalCluster.Evaluation.Runs;
using ScottPlot;

namespace EvalCluster.Evaluation.Reports;

/// <summary>One plot of a run: its PNG and SVG file names (in the run folder) and the caption that says what it shows.</summary>
public sealed record RunPlot(string Png, string Svg, string Caption);

/// <summary>
/// The plots of a run (ScottPlot, PNG and SVG): accuracy per arm with 95% intervals; per task the budget curve
/// (accuracy, and pass@n when a problem has several samples, against realised rho-bar, one line per family with
/// an interval band, base/guide/reference as horizontal levels); and, when `analyze` wrote analysis.json into the
/// run folder, the positions of the top-1% disagreement tokens. Every value axis is percent from 0 to 100 and every
/// bar and point carries its value.
/// </summary>
public static class RunPlots
{
    public const string AccuracyPerArm = "accuracy_per_arm";
    public const string BudgetCurve = "budget_curve";
    public const string BudgetCurvePass = "budget_curve_pass";
    public const string TopTokenPositions = "top_token_positions";

    private const int Width = 1100;
    private const int Height = 640;

    private static readonly string[] Levels = [ArmFamilies.Base, ArmFamilies.Guide, ArmFamilies.Reference];
    private static readonly string[] Curves = [ArmFamilies.Guided, ArmFamilies.Random, ArmFamilies.Early];

    /// <summary>Writes the plots into <paramref name="folder"/> and returns them in report order.</summary>
    public static IReadOnlyList<RunPlot> Write(string folder, RunManifest manifest, RunSummary summary, TopTokenHistogram? positions)
    {
        var written = new List<RunPlot>();
        var models = ModelsText(manifest);
        if (summary.Tasks.Count > 0)
        {
            written.Add(AccuracyBars(folder, summary, models));
        }
        foreach (var (task, t) in summary.Tasks)
        {
            written.Add(Budget(folder, task, t, models, pass: false));
            var n = t.Arms.Values.Min(a => a.SamplesPerProblem);
            if (n > 1 && t.Arms.Values.All(a => a.PassAtK.ContainsKey(n)))
            {
                written.Add(Budget(folder, task, t, models, pass: true));
            }
        }
        if (positions is not null && positions.Counts.Sum() > 0)
        {
            written.Add(PositionHistogram(folder, positions, models));
        }
        return written;
    }

    private static RunPlot AccuracyBars(string folder, RunSummary summary, string models)
    {
        var plot = new Plot();
        var tasks = summary.Tasks.Keys.ToList();
        var arms = summary.Tasks.Values.SelectMany(t => t.Arms.Keys).Distinct().ToList();
        var width = 0.8 / tasks.Count;
        var palette = new ScottPlot.Palettes.Category10();
        for (var ti = 0; ti < tasks.Count; ti++)
        {
            var t = summary.Tasks[tasks[ti]];
            var bars = new List<Bar>();
            var xs = new List<double>();
            var ys = new List<double>();
            var lows = new List<double>();
            var highs = new List<double>();
            foreach (var (arm, a) in t.Arms)
            {
                var x = arms.IndexOf(arm) - 0.4 + width * (ti + 0.5);
                bars.Add(new Bar { Position = x, Value = 100 * a.Accuracy, Size = width * 0.9, FillColor = palette.GetColor(ti) });
                xs.Add(x);
                ys.Add(100 * a.Accuracy);
                lows.Add(100 * (a.Accuracy - a.CiLow));
                highs.Add(100 * (a.CiHigh - a.Accuracy));
                Label(plot, x, 100 * a.Accuracy, Percent(a.Accuracy), tasks.Count * arms.Count > 12 ? 10 : 13);
            }
            var barPlot = plot.Add.Bars(bars);
            if (tasks.Count > 1)
            {
                barPlot.LegendText = tasks[ti];
            }
            plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, highs, lows) { Color = Colors.Black, CapSize = 6 });
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, arms.Count).Select(i => (double)i)], [.. arms]);
        RotateLongTicks(plot, arms);
        plot.Axes.SetLimitsX(-0.6, arms.Count - 0.4);
        if (tasks.Count > 1)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }
        var first = summary.Tasks.Values.First().Arms.Values.First();
        var caption = $"Accuracy (mean@{first.SamplesPerProblem}) per arm on {string.Join(", ", tasks)} ({first.Problems} problems x {first.SamplesPerProblem} samples), " +
            "error bars: 95% bootstrap interval over problems.";
        return Save(plot, folder, AccuracyPerArm, $"Accuracy per arm: {string.Join(", ", tasks)}\n{models}", "arm", "accuracy (%)", caption);
    }

    private static RunPlot Budget(string folder, string task, TaskSummary t, string models, bool pass)
    {
        var plot = new Plot();
        var n = t.Arms.Values.Min(a => a.SamplesPerProblem);
        var metric = pass ? $"pass@{n}" : $"accuracy (mean@{n})";
        Interval Value(ArmSummary a) => pass ? a.PassAtK[n] : new Interval(a.Accuracy, a.CiLow, a.CiHigh);
        var points = t.Arms.Where(a => !Levels.Contains(ArmFamilies.Family(a.Key))).ToList();
        var xMax = Math.Max(1.0, 100 * points.Select(p => p.Value.Rho).DefaultIfEmpty(0).Max() * 1.3);
        var palette = new ScottPlot.Palettes.Category10();
        var colour = 0;
        foreach (var (arm, a) in t.Arms.Where(a => Levels.Contains(ArmFamilies.Family(a.Key))))
        {
            var v = Value(a);
            var c = palette.GetColor(colour++);
            var band = plot.Add.FillY([0, xMax], [100 * v.Low, 100 * v.Low], [100 * v.High, 100 * v.High]);
            band.FillColor = c.WithAlpha(0.08);
            band.LineWidth = 0;
            var line = plot.Add.HorizontalLine(100 * v.Value, 2, c, LinePattern.Dashed);
            line.LegendText = $"{arm} (rho-bar {MarkdownReport.P2(a.Rho)}%)";
            var text = plot.Add.Text($"{arm}: {Percent(v.Value)}", xMax, 100 * v.Value);
            text.Alignment = Alignment.LowerRight;
            text.LabelFontColor = c;
            text.LabelFontSize = 12;
        }
        foreach (var family in points.GroupBy(p => ArmFamilies.Family(p.Key)).OrderBy(g => Array.IndexOf(Curves, g.Key) is var i && i < 0 ? 99 : i))
        {
            var c = palette.GetColor(colour++);
            var sorted = family.OrderBy(p => p.Value.Rho).ToList();
            var xs = sorted.Select(p => 100 * p.Value.Rho).ToArray();
            var vs = sorted.Select(p => Value(p.Value)).ToArray();
            if (sorted.Count > 1)
            {
                var band = plot.Add.FillY(xs, [.. vs.Select(v => 100 * v.Low)], [.. vs.Select(v => 100 * v.High)]);
                band.FillColor = c.WithAlpha(0.18);
                band.LineWidth = 0;
            }
            var scatter = plot.Add.Scatter(xs, [.. vs.Select(v => 100 * v.Value)], c);
            scatter.LegendText = family.Key;
            scatter.MarkerSize = 9;
            scatter.LineWidth = sorted.Count > 1 ? 2 : 0;
            plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar(xs, [.. vs.Select(v => 100 * v.Value)], null, null,
                [.. vs.Select(v => 100 * (v.High - v.Value))], [.. vs.Select(v => 100 * (v.Value - v.Low))]) { Color = c, CapSize = 5 });
            for (var i = 0; i < sorted.Count; i++)
            {
                var text = plot.Add.Text($"{sorted[i].Key}: {Percent(vs[i].Value)} @ {MarkdownReport.P2(sorted[i].Value.Rho)}%", xs[i], 100 * vs[i].Value);
                text.LabelFontSize = 11;
                text.LabelFontColor = c;
                text.Alignment = Alignment.MiddleLeft;
                text.OffsetX = 8;
                text.OffsetY = -12 * (i % 2);
                text.LabelBackgroundColor = Colors.White.WithAlpha(0.75);
            }
        }
        // Outside the data area: with ten arms an inside legend would cover points.
        plot.ShowLegend(Edge.Right);
        plot.Axes.SetLimitsX(0, xMax);
        var caption = $"{task}: {metric} against realised budget rho-bar (mean over responses of takeovers / tokens), " +
            $"{t.Arms.Values.First().Problems} problems x {n} samples; bands and bars: 95% bootstrap interval over problems; " +
            "dashed lines: base, guide and reference levels.";
        return Save(plot, folder, $"{(pass ? BudgetCurvePass : BudgetCurve)}.{Safe(task)}", $"{(pass ? $"pass@{n}" : "Accuracy")} against takeover budget: {task}\n{models}",
            "realised budget rho-bar (% of tokens written by the guide)", $"{metric} (%)", caption);
    }

    private static RunPlot PositionHistogram(string folder, TopTokenHistogram h, string models)
    {
        var plot = new Plot();
        var total = (double)h.Counts.Sum();
        var bins = h.Counts.Count;
        var bars = plot.Add.Bars(Enumerable.Range(0, bins).Select(i => 100 * (i + 0.5) / bins).ToArray(), h.Counts.Select(c => 100 * c / total).ToArray());
        foreach (var bar in bars.Bars)
        {
            bar.Size = 100.0 / bins * 0.95;
            bar.Label = $"{bar.Value:0.0}%";
            // A label above a bar near 100% would fall outside the 0-100 axis: put it inside the bar.
            bar.CenterLabel = bar.Value > 90;
        }
        bars.ValueLabelStyle.FontSize = 12;
        plot.Axes.SetLimitsX(0, 100);
        var caption = $"Positions of the top-1% disagreement tokens ({h.Score}): {h.Definition}; {h.TopTokens} of {h.Tokens} tokens in {h.Responses} responses (analysis.json).";
        return Save(plot, folder, TopTokenPositions, $"Where the top-1% disagreement tokens fall\n{models}",
            "normalised position t/T in the response (%)", "share of top-1% tokens (%)", caption);
    }

    // A bar's value sits just right of its top, on a white box, so it reads over the bar, the whisker and the grid alike.
    private static void Label(Plot plot, double x, double value, string text, float size)
    {
        var label = plot.Add.Text(text, x, value);
        label.Alignment = value > 90 ? Alignment.UpperLeft : Alignment.LowerLeft;
        label.OffsetX = 3;
        label.LabelFontSize = size;
        label.LabelBold = true;
        label.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
    }

    private static void RotateLongTicks(Plot plot, IReadOnlyList<string> labels)
    {
        var longest = labels.Select(l => l.Length).DefaultIfEmpty(0).Max();
        if (labels.Count > 4 || longest > 12)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 40;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = 30 + 6.5f * longest;
        }
    }

    private static RunPlot Save(Plot plot, string folder, string name, string title, string x, string y, string caption)
    {
        plot.Title(title, 15);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.Axes.SetLimitsY(0, 100);
        plot.SavePng(Path.Combine(folder, name + ".png"), Width, Height);
        plot.SaveSvg(Path.Combine(folder, name + ".svg"), Width, Height);
        return new RunPlot(name + ".png", name + ".svg", caption);
    }

    private static string ModelsText(RunManifest manifest) =>
        manifest.Models.Count == 0 ? "" : string.Join(", ", manifest.Models.Select(m => $"{m.Role}: {m.Name}"));

    private static string Percent(double fraction) => (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Safe(string task) => string.Concat(task.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
