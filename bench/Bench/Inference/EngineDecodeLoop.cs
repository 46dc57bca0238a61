using System.Diagnostics;
using EvalCluster.Inference.Models;

namespace EvalCluster.Bench.Inference;

/// <summary>
/// The engine side of the decode benches: <c>batch</c> sessions prefilled to a context in 512-token chunks, then stepped
/// greedily in one batched forward per step; reports the median step time and the host bytes the last step moved.
/// </summary>
internal sealed class EngineDecodeLoop
{
    private readonly OnnxCausalLm _lm;
    private readonly int[] _sessions;
    private const int Chunk = 512;
    private float[][] _last;

    public EngineDecodeLoop(OnnxCausalLm lm, int batch, int context)
    {
        _lm = lm;
        _sessions = [.. Enumerable.Range(0, batch).Select(_ => lm.OpenSession())];
        _last = new float[batch][];
        for (var i = 0; i < batch; i++)
        {
            for (var done = 0; done < context; done += Chunk)
            {
                var tokens = Enumerable.Range(done, Math.Min(Chunk, context - done)).Select(t => (t * 7 + i) % 256).ToArray();
                _last[i] = lm.Forward([new ForwardRequest(_sessions[i], tokens)])[0].Last;
            }
        }
    }

    public long LastStepHostBytes { get; private set; }

    public long KvBytes => _sessions.Sum(_lm.KvBytes);

    /// <summary>Tokens in the first session's context now (every session has the same count).</summary>
    public int Context => _lm.SessionTokens(_sessions[0]).Count;

    /// <summary>Runs the engine's step code until the JIT has optimised it (tier 1): a process's first ~30 calls of a
    /// method run unoptimised code, which made the first table row of a bench several times slower than the rest.</summary>
    public static void WarmUp(OnnxCausalLm lm)
    {
        var loop = new EngineDecodeLoop(lm, 4, 16);
        for (var i = 0; i < 8; i++)
        {
            loop.MedianStepMs(30);
            Thread.Sleep(50);
        }
        loop.Close();
    }

    /// <summary>Engine beside a bare loop, alternating (the machine's load drifts): each of <paramref name="rounds"/>
    /// rounds steps the engine <paramref name="steps"/> (+2 warm-up) times from its current context, then times
    /// <paramref name="bareMsAt"/> at the middle of those contexts (the sessions grow as they step). Returns the round
    /// with the median engine / bare ratio.</summary>
    public (double EngineMs, double BareMs) CompareWithBare(Func<int, double> bareMsAt, int steps, int rounds = 3)
    {
        var results = new List<(double Engine, double Bare)>();
        for (var round = 0; round < rounds; round++)
        {
            var middle = Context + (steps + 2) / 2;
            var engine = MedianStepMs(steps);
            results.Add((engine, bareMsAt(middle)));
        }
        return results.OrderBy(r => r.Engine / r.Bare).ElementAt(rounds / 2);
    }

    /// <summary>Closes the sessions (frees their KV slots).</summary>
    public void Close()
    {
        foreach (var s in _sessions)
        {
            _lm.CloseSession(s);
        }
    }

    public double MedianStepMs(int steps)
    {
        var times = new List<double>();
        for (var step = 0; step < steps + 2; step++)
        {
            var requests = _sessions.Select((s, i) => new ForwardRequest(s, new[] { Array.IndexOf(_last[i], _last[i].Max()) })).ToList();
            // As the decode loop does: the step's rows go back to the pool once its tokens are chosen.
            foreach (var row in _last)
            {
                LogProbRows.Return(row);
            }
            var before = _lm.HostBytes;
            var sw = Stopwatch.StartNew();
            var results = _lm.Forward(requests);
            if (step >= 2)
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
                LastStepHostBytes = _lm.HostBytes - before;
            }
            _last = [.. results.Select(r => r.Last)];
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}
