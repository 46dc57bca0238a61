using System.Diagnostics;
using EvalCluster.Grains.Metrics;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Grains.Generation;

/// <summary>
/// Records per-token metrics of one generation: tokens by model and source, first-token and inter-token latency,
/// takeovers and disagreement scores, all labelled with the arm and lane. A guide token counts as a takeover
/// only in an arm where the base runs too (the guide-alone and reference arms write every token themselves).
/// </summary>
internal sealed class TokenClock
{
    private readonly ClusterInstruments _instruments;
    private readonly bool _takeovers;
    private readonly TagList _baseTokens;
    private readonly TagList _guideTokens;
    private readonly TagList _tags;
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _last;

    public TokenClock(ClusterInstruments instruments, string lane, string arm, ArmModels models, string baseModel, string guideModel)
    {
        _instruments = instruments;
        _takeovers = models == ArmModels.Both;
        _tags = new TagList { { "arm", arm }, { "lane", lane } };
        _baseTokens = new TagList { { "model_name", baseModel }, { "source", "base" }, { "arm", arm }, { "lane", lane } };
        _guideTokens = new TagList { { "model_name", guideModel }, { "source", "guide" }, { "arm", arm }, { "lane", lane } };
    }

    public void OnToken(TokenDecision decision)
    {
        var now = Stopwatch.GetTimestamp();
        var fromGuide = decision.Source == TokenSource.Guide;
        _instruments.Tokens.Add(1, fromGuide ? _guideTokens : _baseTokens);
        if (_last == 0)
        {
            _instruments.FirstToken.Record(Stopwatch.GetElapsedTime(_start, now).TotalSeconds, _tags);
        }
        else
        {
            _instruments.InterToken.Record(Stopwatch.GetElapsedTime(_last, now).TotalSeconds, _tags);
        }
        _last = now;
        if (fromGuide && _takeovers)
        {
            _instruments.TakeoverCount.Add(1, _tags);
        }
        if (!double.IsNaN(decision.Score))
        {
            _instruments.Score.Record(decision.Score, _tags);
        }
    }
}
