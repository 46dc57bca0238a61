using System.Diagnostics;
using EvalCluster.Grains.Metrics;
using EvalCluster.Inference.Decoding;

namespace EvalCluster.Grains.Generation;

/// <summary>Records per-token metrics of one generation: tokens by source, first-token and inter-token latency, scores.</summary>
internal sealed class TokenClock(ClusterInstruments instruments, string baseModel, string guideModel)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _last;

    public void OnToken(TokenDecision decision)
    {
        var now = Stopwatch.GetTimestamp();
        var (model, source) = decision.Source == TokenSource.Guide ? (guideModel, "guide") : (baseModel, "base");
        instruments.Tokens.Add(1, new TagList { { "model", model }, { "source", source } });
        if (_last == 0)
        {
            instruments.FirstToken.Record(Stopwatch.GetElapsedTime(_start, now).TotalSeconds);
        }
        else
        {
            instruments.InterToken.Record(Stopwatch.GetElapsedTime(_last, now).TotalSeconds);
        }
        _last = now;
        if (decision.Source == TokenSource.Guide)
        {
            instruments.TakeoverCount.Add(1);
        }
        if (!double.IsNaN(decision.Score))
        {
            instruments.Score.Record(decision.Score);
        }
    }
}
