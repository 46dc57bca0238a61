namespace EvalCluster.Inference.Decoding;

/// <summary>
/// One generated (or teacher-forced) token: its position in the response, id, source, the step's score and
/// both entropies and log-probabilities of the token. Quantities of a model that was not consulted are NaN.
/// </summary>
public readonly record struct TokenTrace(
    int Position,
    int Token,
    TokenSource Source,
    double Score,
    double BaseEntropy,
    double GuideEntropy,
    double BaseLogProb,
    double GuideLogProb);

/// <summary>Which model's distribution a response token was sampled from.</summary>
public enum TokenSource
{
    Base,
    Guide,
}

/// <summary>The outcome of one step of a <see cref="GuidedSequence"/>.</summary>
public readonly record struct TokenDecision(TokenTrace Trace, bool Finished)
{
    public int Token => Trace.Token;

    public TokenSource Source => Trace.Source;

    public double Score => Trace.Score;
}
