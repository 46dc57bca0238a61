using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Tests.Decoding;

/// <summary>Stop strings end generation at the token that completes one, checked on the decoded tail after every step.</summary>
public sealed class StopStringTests(DecodingModels models) : IClassFixture<DecodingModels>
{
    // The test vocabulary is byte-level: one char per byte token (special tokens above 255 decode to nothing).
    private static string Decode(int[] ids) => new([.. ids.Where(i => i < 256).Select(i => (char)i)]);

    private DecodeResult Run(IReadOnlyList<string> stops, int prompt) =>
        new DualModelDecoder(models.Base, models.Guide, GuideMode.Lazy, Decode).Decode(
        [
            new DecodeRequest(new GuidedSequence(new BaseGate(), DivergenceKind.CrossEntropy, SamplingOptions.Greedy, new SequenceRandom(7), 24, DecodingModels.Eos)
                { StopStrings = stops }, DecodingModels.BasePrompt(prompt), DecodingModels.GuidePrompt(prompt)),
        ]);

    [Fact]
    public void A_stop_string_in_the_response_ends_it_at_the_token_that_completes_it()
    {
        var full = Run([], 1).Sequences[0];
        var text = Decode([.. full.Tokens]);
        Assert.True(text.Length >= 8, "the base response is long enough to hold a stop string");
        var stop = text.Substring(4, 3);
        var expected = Enumerable.Range(1, full.Tokens.Count).First(k => Decode([.. full.Tokens.Take(k)]).Contains(stop, StringComparison.Ordinal));

        var stopped = Run([stop, "\u0001never"], 1).Sequences[0];

        Assert.Equal(FinishReason.Stop, stopped.Finish);
        Assert.Equal(full.Tokens.Take(expected), stopped.Tokens);
        Assert.EndsWith(stop, Decode([.. stopped.Tokens]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_stop_string_that_never_appears_changes_nothing()
    {
        var full = Run([], 2).Sequences[0];
        var withStop = Run(["\u0001\u0002 never"], 2).Sequences[0];
        Assert.Equal(full.Tokens, withStop.Tokens);
        Assert.Equal(full.Finish, withStop.Finish);
    }

    [Fact]
    public void A_sequence_with_stop_strings_and_no_token_decoder_is_refused()
    {
        var request = new DecodeRequest(new GuidedSequence(new BaseGate(), DivergenceKind.CrossEntropy, SamplingOptions.Greedy, new SequenceRandom(7), 4, DecodingModels.Eos)
            { StopStrings = ["x"] }, DecodingModels.BasePrompt(0), DecodingModels.GuidePrompt(0));
        Assert.Contains("no token decoder", Assert.Throws<InferenceException>(() => new DualModelDecoder(models.Base, models.Guide).Decode([request])).Message);
    }
}
