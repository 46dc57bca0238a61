using EvalCluster.Inference.Analysis;

namespace EvalCluster.Inference.Tests.Analysis;

public sealed class ResponseRowReaderTests
{
    [Fact]
    public void A_samples_line_with_a_guide_prompt_keeps_both_prompts_and_a_plain_line_has_none()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("evalcluster-rows").FullName, "samples.jsonl");
        File.WriteAllLines(path,
        [
            """{"task":"t","problem_id":"p1","sample":0,"arm":"base","prompt":"Problem: 1+1\nSolution:","guide_prompt":"What is 1+1?","response":"2","correct":true}""",
            """{"prompt":"x","response":"y"}""",
        ]);

        var rows = ResponseRowReader.Read(path);

        Assert.Equal("Problem: 1+1\nSolution:", rows[0].Prompt);
        Assert.Equal("What is 1+1?", rows[0].GuidePrompt);
        Assert.True(rows[0].Correct);
        Assert.Null(rows[1].GuidePrompt);
        Assert.Null(rows[1].Correct);
    }
}
