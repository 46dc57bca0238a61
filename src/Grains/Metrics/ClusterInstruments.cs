using System.Diagnostics.Metrics;

namespace EvalCluster.Grains.Metrics;

/// <summary>
/// The cluster's meter and instruments. Names follow vLLM's where the meaning is the same
/// (generation_tokens_total, time_to_first_token_seconds, inter_token_latency_seconds, num_requests_running,
/// num_requests_waiting, batch_size, kv_cache_bytes); the rest are the method's own. Tags stay low-cardinality.
/// </summary>
public sealed class ClusterInstruments
{
    public const string MeterName = "EvalCluster";

    public const string GenerationTokens = "generation_tokens_total";
    public const string TimeToFirstToken = "time_to_first_token_seconds";
    public const string InterTokenLatency = "inter_token_latency_seconds";
    public const string RequestsRunning = "num_requests_running";
    public const string RequestsWaiting = "num_requests_waiting";
    public const string BatchSizeName = "batch_size";
    public const string KvCacheBytes = "kv_cache_bytes";
    public const string Takeovers = "takeovers_total";
    public const string DisagreementScore = "disagreement_score";
    public const string ProblemsCompleted = "problems_completed_total";
    public const string GuideForwardPasses = "guide_forward_passes_total";

    public ClusterInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        Tokens = meter.CreateCounter<long>(GenerationTokens, description: "Generated tokens by model and source (base or guide).");
        FirstToken = meter.CreateHistogram<double>(TimeToFirstToken, description: "Seconds from request start to the first generated token.");
        InterToken = meter.CreateHistogram<double>(InterTokenLatency, description: "Seconds between consecutive generated tokens.");
        Running = meter.CreateUpDownCounter<long>(RequestsRunning, description: "Generations in progress.");
        Waiting = meter.CreateUpDownCounter<long>(RequestsWaiting, description: "Sessions waiting for KV budget or batch slots.");
        BatchSize = meter.CreateHistogram<int>(BatchSizeName, description: "Sessions per batched forward pass.");
        KvBytes = meter.CreateUpDownCounter<long>(KvCacheBytes, description: "Worst-case KV bytes admitted by model.");
        TakeoverCount = meter.CreateCounter<long>(Takeovers, description: "Tokens emitted by the guide.");
        Score = meter.CreateHistogram<double>(DisagreementScore, description: "Disagreement score of steps where both models were consulted.");
        Completed = meter.CreateCounter<long>(ProblemsCompleted, description: "Graded samples by task, arm and correctness.");
        GuidePasses = meter.CreateCounter<long>(GuideForwardPasses, description: "Forward passes of guide models.");
    }

    public Counter<long> Tokens { get; }
    public Histogram<double> FirstToken { get; }
    public Histogram<double> InterToken { get; }
    public UpDownCounter<long> Running { get; }
    public UpDownCounter<long> Waiting { get; }
    public Histogram<int> BatchSize { get; }
    public UpDownCounter<long> KvBytes { get; }
    public Counter<long> TakeoverCount { get; }
    public Histogram<double> Score { get; }
    public Counter<long> Completed { get; }
    public Counter<long> GuidePasses { get; }
}
