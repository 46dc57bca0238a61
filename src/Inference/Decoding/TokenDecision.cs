namespace EvalCluster.Inference.Decoding;

/// <summary>The outcome of one step of a <see cref="GuidedSequence"/>.</summary>
public readonly record struct TokenDecision(TokenTrace Trace, bool Finished)
{
    public int Token => Trace.Token;

    public TokenSource Source => Trace.Source;

    public double Score => Trace.Score;
}
