using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Models;

namespace EvalCluster.Inference.Analysis;

/// <summary>
/// Scores a given response token by token under both models without generating: each model is fed its own
/// prompt plus the response in ONE prefill with all positions returned (a response longer than
/// <paramref name="chunk"/> tokens continues in further chunks of that size, bounding memory at chunk x vocabulary
/// floats per model). Traces carry source Base: nobody chose these tokens.
/// </summary>
public sealed class TeacherForcer(ICausalLm baseModel, ICausalLm guideModel, DivergenceKind score, int chunk = 512)
{
    public IReadOnlyList<TokenTrace> Score(IReadOnlyList<int> basePrompt, IReadOnlyList<int> guidePrompt, IReadOnlyList<int> response)
    {
        var traces = new List<TokenTrace>(response.Count);
        if (response.Count == 0)
        {
            return traces;
        }
        if (basePrompt.Count == 0 || guidePrompt.Count == 0)
        {
            throw new InferenceException("teacher forcing needs a non-empty prompt for each model (the first response token is predicted from it).");
        }
        var bs = baseModel.OpenSession();
        var gs = guideModel.OpenSession();
        try
        {
            // Distribution t follows prompt + response[..t]: the last response token is never fed.
            var fed = 0;
            while (traces.Count < response.Count)
            {
                var n = Math.Min(chunk, response.Count - 1 - fed);
                var first = fed == 0;
                var slice = response.Skip(fed).Take(n);
                var b = baseModel.Forward([new ForwardRequest(bs, (first ? basePrompt.Concat(slice) : slice).ToArray(), AllPositions: true)])[0].Positions!;
                var g = guideModel.Forward([new ForwardRequest(gs, (first ? guidePrompt.Concat(slice) : slice).ToArray(), AllPositions: true)])[0].Positions!;
                var skipB = first ? basePrompt.Count - 1 : 0;
                var skipG = first ? guidePrompt.Count - 1 : 0;
                for (var i = 0; i < b.Count - skipB; i++)
                {
                    traces.Add(Trace(traces.Count, response[traces.Count], b[skipB + i], g[skipG + i]));
                }
                fed += n;
            }
        }
        finally
        {
            baseModel.CloseSession(bs);
            guideModel.CloseSession(gs);
        }
        return traces;
    }

    private TokenTrace Trace(int position, int token, float[] b, float[] g)
    {
        var moments = DivergenceKernels.Moments(b, g);
        return new TokenTrace(position, token, TokenSource.Base, DivergenceScore.Compute(score, b, g, moments),
            moments.BaseEntropy, moments.GuideEntropy, b[token], g[token]);
    }
}
