using EvalCluster.Inference.Analysis;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Tests.Decoding;

namespace EvalCluster.Inference.Tests.Analysis;

public sealed class TeacherForcerTests(DecodingModels models) : IClassFixture<DecodingModels>
{
    [Theory]
    [InlineData(512)]
    [InlineData(3)]
    public void Teacher_forcing_a_response_reproduces_the_scores_seen_while_generating_it(int chunk)
    {
        var generated = models.Run(_ => new BaseGate(), GuideMode.Eager, maxNewTokens: 20);
        var forcer = new TeacherForcer(models.Base, models.Guide, DivergenceKind.CrossEntropy, chunk);
        for (var i = 0; i < DecodingModels.PromptCount; i++)
        {
            var expected = generated.Sequences[i].Trace;
            var forced = forcer.Score(DecodingModels.BasePrompt(i), DecodingModels.GuidePrompt(i), generated.Sequences[i].Tokens);
            Assert.Equal(expected.Count, forced.Count);
            for (var t = 0; t < expected.Count; t++)
            {
                Assert.Equal(expected[t].Token, forced[t].Token);
                Assert.Equal(expected[t].Score, forced[t].Score, 3);
                Assert.Equal(expected[t].BaseEntropy, forced[t].BaseEntropy, 3);
                Assert.Equal(expected[t].GuideLogProb, forced[t].GuideLogProb, 3);
            }
        }
    }
}
