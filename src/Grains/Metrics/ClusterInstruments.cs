using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EvalCluster.Contracts.Runs;

namespace EvalCluster.Grains.Metrics;

/// <summary>
/// The cluster's meter and instruments, the one place that names metrics, labels and histogram buckets.
/// Names follow vLLM's where the meaning is the same (generation_tokens_total, time_to_first_token_seconds,
/// inter_token_latency_seconds, num_requests_running, num_requests_waiting, batch_size, kv_cache_bytes and the
/// <c>model_name</c> label); the rest are the method's own. Labels are bounded by the deployment and the run's
/// settings (run, task, arm, lane, model_name, source, correct), never by problem ids. Grains call the methods
/// here in one line each.
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
    public const string NumPreemptions = "num_preemptions_total";
    public const string Takeovers = "takeovers_total";
    public const string DisagreementScore = "disagreement_score";
    public const string ProblemsCompleted = "problems_completed_total";
    public const string GuideForwardPasses = "guide_forward_passes_total";
    public const string RunSamplesExpected = "run_samples_expected";
    public const string RunSamplesRecorded = "run_samples_recorded";

    /// <summary>Latency edges in seconds: sub-millisecond token steps up to ten-minute first tokens behind a full lane.</summary>
    public static readonly double[] SecondsBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>Sessions per forward pass: powers of two up to 512.</summary>
    public static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    /// <summary>Disagreement scores: probabilities and distances in [0, 1] and cross-entropies in nats up to ~50.</summary>
    public static readonly double[] ScoreBuckets =
        [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50];

    private readonly ConcurrentDictionary<(string Run, string Task), RunCounts> _runs = new();

    public ClusterInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        Tokens = meter.CreateCounter<long>(GenerationTokens, description: "Generated tokens by model_name, source (base or guide), arm and lane.");
        FirstToken = meter.CreateHistogram(TimeToFirstToken, unit: null, description: "Seconds from request start to the first generated token, by arm and lane.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        InterToken = meter.CreateHistogram(InterTokenLatency, unit: null, description: "Seconds between consecutive generated tokens, by arm and lane.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        Running = meter.CreateUpDownCounter<long>(RequestsRunning, description: "Generations in progress by lane.");
        Waiting = meter.CreateUpDownCounter<long>(RequestsWaiting, description: "Sessions waiting for KV budget, by model_name and lane.");
        BatchSize = meter.CreateHistogram(BatchSizeName, unit: null, description: "Sessions per batched forward pass, by model_name and lane.",
            tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        KvBytes = meter.CreateUpDownCounter<long>(KvCacheBytes, description: "KV bytes held by resident sessions, by model_name and lane.");
        Preemptions = meter.CreateCounter<long>(NumPreemptions, description: "Sessions whose KV was dropped for memory and recomputed later, by model_name and lane.");
        TakeoverCount = meter.CreateCounter<long>(Takeovers, description: "Tokens the guide wrote while the base was in control (one-token takeovers), by arm and lane.");
        Score = meter.CreateHistogram(DisagreementScore, unit: null, description: "Disagreement score of steps where both models were consulted, by arm and lane.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ScoreBuckets });
        Completed = meter.CreateCounter<long>(ProblemsCompleted, description: "Graded samples by run, task, arm, lane and correctness.");
        GuidePasses = meter.CreateCounter<long>(GuideForwardPasses, description: "Forward passes of guide models, by model_name, arm and lane.");
        meter.CreateObservableGauge(RunSamplesExpected, () => ObserveRuns(c => c.Expected),
            description: "Samples (problem x sample x arm) a run expects, by run and task; reported by the silo holding the run.");
        meter.CreateObservableGauge(RunSamplesRecorded, () => ObserveRuns(c => c.Recorded),
            description: "Samples a run has recorded durably, by run and task; reported by the silo holding the run.");
    }

    public Counter<long> Tokens { get; }
    public Histogram<double> FirstToken { get; }
    public Histogram<double> InterToken { get; }
    public UpDownCounter<long> Running { get; }
    public UpDownCounter<long> Waiting { get; }
    public Histogram<int> BatchSize { get; }
    public UpDownCounter<long> KvBytes { get; }
    public Counter<long> Preemptions { get; }
    public Counter<long> TakeoverCount { get; }
    public Histogram<double> Score { get; }
    public Counter<long> Completed { get; }
    public Counter<long> GuidePasses { get; }

    /// <summary>The labels of one model grain's series (batch size, waiting sessions, KV bytes).</summary>
    public static TagList ModelTags(string modelName, string lane) => new() { { "model_name", modelName }, { "lane", lane } };

    public void GenerationStarted(string lane) => Running.Add(1, new KeyValuePair<string, object?>("lane", lane));

    public void GenerationEnded(string lane) => Running.Add(-1, new KeyValuePair<string, object?>("lane", lane));

    public void GuideConsulted(int passes, string guideModel, string arm, string lane)
    {
        if (passes > 0)
        {
            GuidePasses.Add(passes, new TagList { { "model_name", guideModel }, { "arm", arm }, { "lane", lane } });
        }
    }

    public void SampleGraded(string run, ResultKey key, string lane, bool correct) =>
        Completed.Add(1, new TagList { { "run", run }, { "task", key.Task }, { "arm", key.Arm }, { "lane", lane }, { "correct", correct ? "true" : "false" } });

    /// <summary>A run (re)started on this silo: its expected sample count per task and the samples already recorded.</summary>
    public void RunStarted(string run, IReadOnlyDictionary<string, int> expectedPerTask, IEnumerable<ResultKey> recorded)
    {
        RunClosed(run);
        foreach (var (task, count) in expectedPerTask)
        {
            Interlocked.Add(ref _runs.GetOrAdd((run, task), _ => new RunCounts()).Expected, count);
        }
        foreach (var key in recorded)
        {
            SampleRecorded(run, key);
        }
    }

    public void SampleRecorded(string run, ResultKey key) =>
        Interlocked.Increment(ref _runs.GetOrAdd((run, key.Task), _ => new RunCounts()).Recorded);

    /// <summary>The run grain left this silo: its progress is reported by whichever silo activates it next.</summary>
    public void RunClosed(string run)
    {
        foreach (var k in _runs.Keys.Where(k => k.Run == run))
        {
            _runs.TryRemove(k, out _);
        }
    }

    private IEnumerable<Measurement<long>> ObserveRuns(Func<RunCounts, long> value) =>
        _runs.Select(r => new Measurement<long>(value(r.Value), new KeyValuePair<string, object?>("run", r.Key.Run), new KeyValuePair<string, object?>("task", r.Key.Task)));

    private sealed class RunCounts
    {
        public long Expected;
        public long Recorded;
    }
}
