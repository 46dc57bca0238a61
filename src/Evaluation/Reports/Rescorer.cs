using EvalCluster.Evaluation.Extraction;
using EvalCluster.Evaluation.Grading;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Evaluation.Reports;

/// <summary>
/// Re-extracts and re-grades a run's saved responses with the current extractor and grader, rewrites
/// samples.jsonl, summary.json, report.md and plots; nothing is regenerated.
/// </summary>
public static class Rescorer
{
    /// <summary>Rescores the folder and returns how many samples changed their verdict.</summary>
    public static RescoreResult Rescore(RunFolder folder, TaskRegistry? registry, MathGrader? grader = null)
    {
        grader ??= new MathGrader();
        var samples = folder.ReadSamples();
        var changed = 0;
        var rescored = samples.Select(s =>
        {
            var pipeline = registry is not null && registry.Names.Contains(s.Task) ? registry.Get(s.Task).Extraction : AnswerExtractor.DefaultPipeline;
            var extracted = AnswerExtractor.Extract(s.Response, pipeline);
            var correct = extracted is not null && grader.Grade(s.Gold, extracted).Equal;
            if (correct != s.Correct)
            {
                changed++;
            }
            return s with { Extracted = extracted, Correct = correct };
        }).ToList();
        folder.RewriteSamples(rescored);
        var summary = RunReporter.Write(folder);
        return new RescoreResult(rescored.Count, changed, summary);
    }
}
