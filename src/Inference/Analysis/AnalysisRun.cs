using System.Text.Json;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Analysis;

/// <summary>
/// The `analyze` pipeline on one process: renders each model's prompt (base: its plain or no-thinking template,
/// guide: its chat template with thinking on), tokenizes the response once, teacher-forces both models, writes
/// traces.jsonl and analysis.json into the output folder.
/// </summary>
public sealed class AnalysisRun(TokenizerBundle baseTokenizer, ICausalLm baseModel, TokenizerBundle guideTokenizer, ICausalLm guideModel)
{
    public AnalysisReport Run(IReadOnlyList<ResponseRow> rows, DivergenceKind score, PlanningLexicon lexicon, string outDir, int chunk = 512)
    {
        if (baseModel.VocabSize != guideModel.VocabSize)
        {
            throw new InferenceException($"base vocabulary ({baseModel.VocabSize}) and guide vocabulary ({guideModel.VocabSize}) differ; the method needs one shared vocabulary.");
        }
        Directory.CreateDirectory(outDir);
        var forcer = new TeacherForcer(baseModel, guideModel, score, chunk);
        var baseTemplate = baseTokenizer.Template(thinking: false);
        var guideTemplate = guideTokenizer.Template(thinking: true);
        var analyzed = new List<AnalyzedResponse>(rows.Count);
        using (var traces = new StreamWriter(Path.Combine(outDir, "traces.jsonl")))
        {
            foreach (var row in rows)
            {
                var response = baseTokenizer.Tokenizer.Encode(row.Response);
                var trace = forcer.Score(
                    baseTokenizer.Tokenizer.Encode(baseTemplate.Render(row.Prompt)),
                    guideTokenizer.Tokenizer.Encode(guideTemplate.Render(row.GuidePrompt ?? row.Prompt)),
                    response);
                var texts = response.Select(id => baseTokenizer.Tokenizer.Decode([id])).ToArray();
                analyzed.Add(new AnalyzedResponse(trace, texts, row.Correct));
                var line = new TraceLine(row.Task, row.ProblemId, row.Sample, row.Arm, row.Correct, DivergenceScore.Name(score),
                    response.ToArray(), texts, trace.Select(t => t.Score).ToArray(), trace.Select(t => t.BaseEntropy).ToArray(),
                    trace.Select(t => t.GuideEntropy).ToArray(), trace.Select(t => t.BaseLogProb).ToArray(), trace.Select(t => t.GuideLogProb).ToArray());
                traces.WriteLine(JsonSerializer.Serialize(line, AnalysisJson.Line));
            }
        }
        var report = ResponseAnalyzer.Analyze(analyzed, score, lexicon);
        File.WriteAllText(Path.Combine(outDir, "analysis.json"), JsonSerializer.Serialize(report, AnalysisJson.Indented) + "\n");
        return report;
    }
}
