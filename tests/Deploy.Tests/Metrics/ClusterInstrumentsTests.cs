using System.Diagnostics.Metrics;
using EvalCluster.Contracts.Runs;
using EvalCluster.Grains.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace EvalCluster.Deploy.Tests.Metrics;

/// <summary>
/// The instruments' own rules, below the scrape test: run-progress gauges follow the run grain (one silo reports a
/// run; a deactivated run disappears), bucket edges cover their units, and labels never name a problem.
/// </summary>
public sealed class ClusterInstrumentsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ClusterInstruments _instruments;

    public ClusterInstrumentsTests()
    {
        _instruments = new ClusterInstruments(_services.GetRequiredService<IMeterFactory>());
    }

    [Fact]
    public void Run_progress_gauges_count_expected_and_recorded_samples_per_task_and_vanish_when_the_run_closes()
    {
        ResultKey[] expected = [Key("gsm8k", "1", "base"), Key("gsm8k", "1", "guided"), Key("gsm8k", "2", "base"), Key("math500", "7", "base")];
        var perTask = new Dictionary<string, int> { ["gsm8k"] = 3, ["math500"] = 1 };
        _instruments.RunStarted("run-a", perTask, [expected[0]]);
        _instruments.SampleRecorded("run-a", expected[3]);

        Assert.Equal(new Dictionary<(string, string), long> { [("run-a", "gsm8k")] = 3, [("run-a", "math500")] = 1 }, Observe(ClusterInstruments.RunSamplesExpected));
        Assert.Equal(new Dictionary<(string, string), long> { [("run-a", "gsm8k")] = 1, [("run-a", "math500")] = 1 }, Observe(ClusterInstruments.RunSamplesRecorded));

        // A restart of the same run (resume) replaces its numbers instead of adding to them.
        _instruments.RunStarted("run-a", perTask, expected);
        Assert.Equal(3, Observe(ClusterInstruments.RunSamplesRecorded)[("run-a", "gsm8k")]);

        _instruments.RunClosed("run-a");
        Assert.Empty(Observe(ClusterInstruments.RunSamplesExpected));
        Assert.Empty(Observe(ClusterInstruments.RunSamplesRecorded));
    }

    [Fact]
    public void Graded_samples_are_labelled_by_run_task_arm_lane_and_correctness_but_not_by_problem()
    {
        var tags = new List<KeyValuePair<string, object?>>();
        using var listener = Listen<long>(ClusterInstruments.ProblemsCompleted, (_, t) => tags.AddRange(t.ToArray()));

        _instruments.SampleGraded("run-b", Key("gsm8k", "problem-42", "guided@r=0.04"), "silo-a/lane0", correct: true);

        Assert.Equal(["arm", "correct", "lane", "run", "task"], tags.Select(t => t.Key).Order());
        Assert.DoesNotContain(tags, t => t.Value is string s && s.Contains("problem-42", StringComparison.Ordinal));
        Assert.Contains(tags, t => t.Key == "arm" && (string?)t.Value == "guided@r=0.04");
    }

    [Fact]
    public void Bucket_edges_are_increasing_and_span_their_units()
    {
        foreach (var edges in new[] { ClusterInstruments.SecondsBuckets, ClusterInstruments.ScoreBuckets, ClusterInstruments.BatchBuckets.Select(b => (double)b).ToArray() })
        {
            Assert.True(edges.Zip(edges.Skip(1)).All(p => p.First < p.Second), string.Join(", ", edges));
        }
        Assert.True(ClusterInstruments.SecondsBuckets[0] < 0.001 && ClusterInstruments.SecondsBuckets[^1] >= 600);
        Assert.Equal(1, ClusterInstruments.BatchBuckets[0]);
        Assert.Equal(512, ClusterInstruments.BatchBuckets[^1]);
        Assert.True(ClusterInstruments.ScoreBuckets[0] <= 0.01 && ClusterInstruments.ScoreBuckets[^1] >= 20);
    }

    public void Dispose() => _services.Dispose();

    private static ResultKey Key(string task, string problem, string arm) => new(task, problem, 0, arm);

    private Dictionary<(string Run, string Task), long> Observe(string gauge)
    {
        var values = new Dictionary<(string, string), long>();
        using var listener = Listen<long>(gauge, (v, tags) =>
        {
            var t = tags.ToArray().ToDictionary(kv => kv.Key, kv => (string)kv.Value!);
            values[(t["run"], t["task"])] = v;
        });
        listener.RecordObservableInstruments();
        return values;
    }

    private static MeterListener Listen<T>(string instrument, Action<T, ReadOnlySpan<KeyValuePair<string, object?>>> onValue)
        where T : struct
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == ClusterInstruments.MeterName && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<T>((_, value, tags, _) => onValue(value, tags));
        listener.Start();
        return listener;
    }
}
