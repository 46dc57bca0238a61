using EvalCluster.Evaluation.Runs;
using ScottPlot;

namespace EvalCluster.Evaluation.Reports;

/// <summary>
/// PNG plots of a run (ScottPlot): accuracy per arm, accuracy versus realised budget rho, and, when traces
/// exist, the histogram of normalised positions t/T of each response's top-1% disagreement tokens.
/// </summary>
public static class RunPlots
{
    public const string AccuracyPerArm = "accuracy_per_arm.png";
    public const string AccuracyVsRho = "accuracy_vs_rho.png";
    public const string TopTokenPositions = "top_token_positions.png";

    /// <summary>Writes the plots into <paramref name="folder"/> and returns their file names.</summary>
    public static IReadOnlyList<string> Write(string folder, RunSummary summary, IReadOnlyList<TraceRecord> traces)
    {
        var written = new List<string>();
        var arms = summary.Tasks.SelectMany(t => t.Value.Arms.Select(a => (Label: $"{t.Key}/{a.Key}", a.Value))).ToList();
        if (arms.Count > 0)
        {
            var plot = new Plot();
            plot.Add.Bars(arms.Select(a => 100 * a.Value.Accuracy).ToArray());
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, arms.Count).Select(i => (double)i)], [.. arms.Select(a => a.Label)]);
            plot.Axes.Bottom.TickLabelStyle.Rotation = arms.Count > 4 ? 30 : 0;
            plot.Axes.Margins(bottom: 0);
            Save(plot, folder, AccuracyPerArm, "Accuracy per arm", "", "accuracy (%)", written);

            var rhoPlot = new Plot();
            foreach (var (task, t) in summary.Tasks)
            {
                var points = t.Arms.OrderBy(a => a.Value.Rho).ToList();
                var scatter = rhoPlot.Add.Scatter(points.Select(a => a.Value.Rho).ToArray(), points.Select(a => 100 * a.Value.Accuracy).ToArray());
                scatter.LegendText = task;
                scatter.LineWidth = 0;
                scatter.MarkerSize = 8;
            }
            rhoPlot.ShowLegend();
            Save(rhoPlot, folder, AccuracyVsRho, "Accuracy versus takeover budget", "rho = takeovers / tokens", "accuracy (%)", written);
        }
        var positions = TopTokenPositionsOf(traces);
        if (positions.Count > 0)
        {
            const int bins = 20;
            var counts = new double[bins];
            foreach (var p in positions)
            {
                counts[Math.Min(bins - 1, (int)(p * bins))]++;
            }
            var plot = new Plot();
            var bars = plot.Add.Bars(Enumerable.Range(0, bins).Select(i => (i + 0.5) / bins).ToArray(), counts);
            foreach (var bar in bars.Bars)
            {
                bar.Size = 1.0 / bins;
            }
            plot.Axes.Margins(bottom: 0);
            Save(plot, folder, TopTokenPositions, "Positions of the top-1% disagreement tokens", "normalised position t/T", "tokens", written);
        }
        return written;
    }

    /// <summary>t/T of each response's top ceil(1%) tokens by score.</summary>
    public static IReadOnlyList<double> TopTokenPositionsOf(IReadOnlyList<TraceRecord> traces)
    {
        var positions = new List<double>();
        foreach (var trace in traces.Where(t => t.Scores.Count > 0))
        {
            var count = (int)Math.Ceiling(trace.Scores.Count * 0.01);
            var top = trace.Scores.Select((s, i) => (s, i)).OrderByDescending(x => x.s).Take(count);
            positions.AddRange(top.Select(x => (double)x.i / trace.Scores.Count));
        }
        return positions;
    }

    private static void Save(Plot plot, string folder, string file, string title, string x, string y, List<string> written)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.SavePng(Path.Combine(folder, file), 900, 540);
        written.Add(file);
    }
}
