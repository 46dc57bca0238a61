using EvalCluster.Evaluation.Metrics;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Reports;

/// <summary>Recomputes a run folder's summary.json, plots, report.md and report.html from its samples.jsonl (and analysis.json).</summary>
public static class RunReporter
{
    public static RunSummary Write(RunFolder folder)
    {
        var samples = folder.ReadSamples();
        if (samples.Count == 0)
        {
            throw new EvaluationException($"{folder.SamplesPath}: no sample records; the run has not produced results yet (resume it, then report).");
        }
        // Inputs are checked before anything is written: a bad trace or analysis file must not leave a half-rewritten report.
        var scoreScale = RunViewer.ScoreScale(samples);
        var positions = TopTokenHistogram.Read(folder.Path);
        var summary = SummaryBuilder.Build(folder.Manifest.RunId, samples, SummaryBuilder.DeclaredMetrics(folder.Manifest));
        folder.WriteSummary(summary);
        var plots = RunPlots.Write(folder.Path, folder.Manifest, summary, positions);
        folder.WriteReport(MarkdownReport.Render(folder.Manifest, summary, plots));
        RunViewer.Write(folder.Path, folder.Manifest, summary, plots, samples, scoreScale);
        return summary;
    }
}
