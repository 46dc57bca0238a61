using System.Diagnostics;

namespace EvalCluster.Bench.Evaluation;

/// <summary>Runs one pass as warm-up, then several timed passes; reports the median pass and per-item latencies.</summary>
internal static class Timing
{
    public static (double ItemsPerSecond, double P50Us, double P99Us, double MaxUs) Measure<T>(IReadOnlyList<T> items, Action<T> work, int passes = 5)
    {
        foreach (var item in items)
        {
            work(item);
        }
        var rates = new List<double>();
        var latencies = new List<double>();
        for (var p = 0; p < passes; p++)
        {
            var total = Stopwatch.StartNew();
            foreach (var item in items)
            {
                var t = Stopwatch.GetTimestamp();
                work(item);
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
            }
            rates.Add(items.Count / total.Elapsed.TotalSeconds);
        }
        rates.Sort();
        latencies.Sort();
        return (rates[rates.Count / 2], latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], latencies[^1]);
    }
}
