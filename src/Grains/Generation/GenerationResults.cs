using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Models;
using EvalCluster.Evaluation.Extraction;
using EvalCluster.Evaluation.Grading;
using EvalCluster.Inference.Decoding;

namespace EvalCluster.Grains.Generation;

/// <summary>
/// Turns a finished step machine into a <see cref="GenerationResult"/>: decode (EOS stripped), extract, grade,
/// takeover positions and, when asked, the per-token trace with each token's text end in the response.
/// </summary>
internal static class GenerationResults
{
    /// <summary>One line when a prompt plus the token limit does not fit the model's context; null when it fits or the context is unknown.</summary>
    public static string? ContextError(ModelInfo? model, int promptTokens, int maxNewTokens) =>
        model is { MaxContext: > 0 } m && promptTokens + maxNewTokens > m.MaxContext
            ? $"prompt of {promptTokens} tokens + {maxNewTokens} new tokens exceeds {m.Name}'s context of {m.MaxContext}; shorten the problem or lower --max-new-tokens"
            : null;

    public static async Task<GenerationResult> GradeAsync(GenerationRequest request, GuidedSequence sequence, IModelGrain decoder,
        IReadOnlySet<int> eos, int promptTokens, int guideConsultations)
    {
        var tokens = sequence.ResponseTokens.ToArray();
        var textTokens = tokens.Length > 0 && eos.Contains(tokens[^1]) ? tokens[..^1] : tokens;
        var response = await decoder.DecodeAsync(new(textTokens));
        IReadOnlyList<string>? pipeline = request.Extractors.IsDefaultOrEmpty ? null : request.Extractors;
        var extracted = AnswerExtractor.Extract(response, pipeline);
        return new GenerationResult
        {
            Key = request.Key,
            Response = response,
            Extracted = extracted,
            Correct = extracted is not null && MathGrader.AreEquivalent(request.Gold, extracted),
            Truncated = sequence.FinishReason == FinishReason.Length,
            PromptTokens = promptTokens,
            ResponseTokens = tokens.Length,
            Tokens = [.. tokens],
            Takeovers = sequence.Takeovers,
            Rho = sequence.Rho,
            GuideForwardPasses = guideConsultations,
            TakeoverPositions = [.. sequence.Trace.Where(t => t.Source == TokenSource.Guide).Select(t => t.Position)],
            Trace = request.Decode.TokenTraces ? await TraceAsync(sequence, decoder, textTokens, response) : null,
        };
    }

    private static async Task<TokenTraceData> TraceAsync(GuidedSequence sequence, IModelGrain decoder, int[] textTokens, string response)
    {
        var sources = string.Concat(sequence.Trace.Select(t => t.Source == TokenSource.Guide ? 'g' : 'b'));
        // The score is the two models' disagreement: NaN where the guide was not consulted.
        var scores = sequence.Trace.Select(t => double.IsNaN(t.GuideLogProb) ? float.NaN : (float)t.Score);
        var ends = await TextEndsAsync(decoder, textTokens, response);
        return new TokenTraceData(sources, [.. scores], [.. ends, .. Enumerable.Repeat(response.Length, sequence.Trace.Count - ends.Length)]);
    }

    /// <summary>
    /// End offset of each token's text in the response. Tokens are decoded in short runs that end on a whole
    /// character (byte-level tokens may split one); a token inside a character ends where the character ends.
    /// When the runs' texts do not add up to the response (a decoder that is not concatenative) every prefix is decoded.
    /// </summary>
    private static async Task<int[]> TextEndsAsync(IModelGrain decoder, int[] tokens, string response)
    {
        var ends = new int[tokens.Length];
        int start = 0, offset = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var text = await decoder.DecodeAsync(new(tokens[start..(i + 1)]));
            if (text.EndsWith('\uFFFD') && i < tokens.Length - 1)
            {
                continue;
            }
            offset += text.Length;
            Array.Fill(ends, offset, start, i + 1 - start);
            start = i + 1;
        }
        if (tokens.Length > 0 && offset != response.Length)
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                ends[i] = (await decoder.DecodeAsync(new(tokens[..(i + 1)]))).Length;
            }
        }
        return ends;
    }
}
