using System.Diagnostics;
using System.Globalization;
using EvalCluster.Evaluation.Runs;
using Spectre.Console;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// One Spectre.Console progress bar per arm; its label shows done/total, running accuracy (percent), generations/s,
/// response tokens/s and the ETA. Rates count only this session's results and start at the arm's first one, so
/// resumed samples and an arm that waits for another phase do not distort them.
/// </summary>
public sealed class ArmProgressView(ProgressContext context) : IRunObserver
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, ArmProgress> _arms = [];

    public void Start(IReadOnlyDictionary<string, int> expectedPerArm, IReadOnlyList<SampleRecord> existing)
    {
        lock (_gate)
        {
            var width = expectedPerArm.Keys.Select(a => a.Length).DefaultIfEmpty(0).Max();
            foreach (var (arm, expected) in expectedPerArm)
            {
                _arms[arm] = new ArmProgress(arm.PadRight(width), expected, context.AddTask(Markup.Escape(arm), maxValue: expected));
            }
            foreach (var record in existing)
            {
                Count(record, resumed: true);
            }
        }
    }

    public void OnResult(SampleRecord record)
    {
        lock (_gate)
        {
            Count(record, resumed: false);
        }
    }

    private void Count(SampleRecord record, bool resumed)
    {
        if (!_arms.TryGetValue(record.Arm, out var arm))
        {
            return;
        }
        arm.Add(record, resumed, _clock.Elapsed.TotalSeconds);
        arm.Bar.Increment(1);
        arm.Bar.Description = Markup.Escape(arm.Describe());
    }

    /// <summary>The counters of one arm; <see cref="Describe"/> is the bar's label.</summary>
    internal sealed class ArmProgress(string label, int total, ProgressTask? bar = null)
    {
        private int _done;
        private int _correct;
        private int _failed;
        private int _fresh;
        private long _tokens;
        private double _first = double.NaN;
        private double _last;

        public ProgressTask Bar => bar ?? throw new InvalidOperationException("no bar");

        public void Add(SampleRecord record, bool resumed, double now)
        {
            _done++;
            _correct += record.Correct ? 1 : 0;
            _failed += record.Error is null ? 0 : 1;
            if (resumed)
            {
                return;
            }
            _fresh++;
            _tokens += record.ResponseTokens;
            if (double.IsNaN(_first))
            {
                _first = now;
            }
            _last = now;
        }

        /// <summary>"arm  12/270  acc 50.0%  3.10 gen/s  120 tok/s  ETA 1m20s" (rates once two results of this session exist).</summary>
        public string Describe()
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"{label} {_done}/{total} acc {100.0 * _correct / Math.Max(1, _done):0.0}%");
            if (_failed > 0)
            {
                text += string.Create(CultureInfo.InvariantCulture, $" failed {_failed}");
            }
            var span = _last - _first;
            if (_fresh >= 2 && span > 0)
            {
                // The first result marks the start; the rate counts the ones after it.
                var rate = (_fresh - 1) / span;
                var tokens = _tokens * (_fresh - 1.0) / _fresh / span;
                var remaining = total - _done;
                text += string.Create(CultureInfo.InvariantCulture, $" {rate:0.00} gen/s {tokens:0} tok/s ETA {Eta(remaining / rate)}");
            }
            return text;
        }

        private static string Eta(double seconds) => seconds switch
        {
            <= 0 => "0s",
            < 60 => $"{seconds:0}s",
            < 3600 => $"{(int)(seconds / 60)}m{(int)(seconds % 60):00}s",
            _ => $"{(int)(seconds / 3600)}h{(int)(seconds % 3600 / 60):00}m",
        };
    }
}
