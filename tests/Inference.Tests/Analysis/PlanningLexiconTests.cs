using EvalCluster.Inference.Analysis;

namespace EvalCluster.Inference.Tests.Analysis;

public sealed class PlanningLexiconTests
{
    [Fact]
    public void Tokens_overlapping_a_phrase_on_word_boundaries_are_planning_tokens()
    {
        string[] texts = ["Let", "'s", " go", ". Wait", ",", " so", "mething", " we need", " it"];
        var marks = new PlanningLexicon(["let's", "wait", "so", "we need"]).Mark(texts);
        Assert.Equal([true, true, false, true, false, false, false, true, false], marks);
    }

    [Fact]
    public void A_lexicon_file_replaces_the_default_and_skips_comments()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lex-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, ["# planning", "On Second Thought", "", "hmm"]);
        Assert.Equal(["on second thought", "hmm"], PlanningLexicon.Load(path).Phrases);
        Assert.Contains("wait", PlanningLexicon.Default.Phrases);
    }
}
