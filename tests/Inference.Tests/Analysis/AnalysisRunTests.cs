using System.Text.Json;
using EvalCluster.Inference.Analysis;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Tests.Decoding;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Tests.Analysis;

public sealed class AnalysisRunTests(DecodingModels models) : IClassFixture<DecodingModels>
{
    [Fact]
    public void Analysis_of_a_samples_file_writes_one_trace_line_per_response_and_the_statistics()
    {
        var dir = Directory.CreateTempSubdirectory("analyze").FullName;
        var input = Path.Combine(dir, "samples.jsonl");
        File.WriteAllLines(input,
        [
            """{"run_id":"r","task":"toy","problem_id":"p1","sample":0,"arm":"base","prompt":"What is 2+3?","response":"First, 2+3=5. Wait, check: 5.","correct":true}""",
            """{"prompt":"Compute 7*8","response":"Let's see: 56","correct":false}""",
        ]);
        var rows = ResponseRowReader.Read(dir);
        var run = new AnalysisRun(TokenizerFolder.Load(models.BaseDir), models.Base, TokenizerFolder.Load(models.GuideDir), models.Guide);
        var report = run.Run(rows, DivergenceKind.CrossEntropy, PlanningLexicon.Default, Path.Combine(dir, "out"));

        var lines = File.ReadAllLines(Path.Combine(dir, "out", "traces.jsonl"));
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("p1", first.RootElement.GetProperty("problem_id").GetString());
        Assert.Equal("First, 2+3=5. Wait, check: 5.".Length, first.RootElement.GetProperty("scores").GetArrayLength());
        Assert.Equal(("First, 2+3=5. Wait, check: 5.".Length + "Let's see: 56".Length), report.Tokens);
        Assert.True(report.Planning.BaseRate > 0);
        Assert.NotNull(report.WrongAnswerAuroc);
        using var analysis = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "analysis.json")));
        Assert.Equal("ce", analysis.RootElement.GetProperty("score").GetString());
        Assert.Equal(3, analysis.RootElement.GetProperty("share_of_tokens_holding").EnumerateObject().Count());
    }

    [Fact]
    public void A_line_without_a_response_is_named_in_the_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rows-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, ["""{"prompt":"a","response":"b"}""", """{"prompt":"a"}"""]);
        var ex = Assert.Throws<InferenceException>(() => ResponseRowReader.Read(path));
        Assert.Contains("line 2", ex.Message);
        Assert.Contains("\"response\"", ex.Message);
    }
}
