using EvalCluster.Evaluation.Grading;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Metrics;

/// <summary>
/// Aggregates sample records into summary.json: per task and arm mean@n, pass@k and maj@k for k = 1, 2, 4 ... n
/// (n = the smallest samples-per-problem count of the arm), each with a bootstrap interval over problems; rho-bar
/// and token-weighted rho; failures; per-subject and per-level accuracy; recovery of every other arm relative to
/// "base" and the reference arm ("reference" when the run has one, else "guide"); paired comparisons.
/// </summary>
public static class SummaryBuilder
{
    public const string BaseArm = ArmFamilies.Base;
    public const string Mean = "mean";
    public const string PassAtKMetric = "pass_at_k";
    public const string MajAtKMetric = "maj_at_k";
    public const string MetricsSetting = "metrics:";

    public static IReadOnlyList<string> AllMetrics { get; } = [Mean, PassAtKMetric, MajAtKMetric];

    /// <param name="metrics">Task -> declared metrics (from the manifest); a task not listed shows all.</param>
    public static RunSummary Build(string runId, IEnumerable<SampleRecord> samples, IReadOnlyDictionary<string, IReadOnlyList<string>>? metrics = null)
    {
        var tasks = samples.GroupBy(s => s.Task)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => BuildTask([.. g], metrics is not null && metrics.TryGetValue(g.Key, out var m) ? m : AllMetrics));
        return new RunSummary { RunId = runId, Tasks = tasks };
    }

    private static TaskSummary BuildTask(IReadOnlyList<SampleRecord> samples, IReadOnlyList<string> metrics)
    {
        var byArm = samples.GroupBy(s => s.Arm).ToDictionary(g => g.Key, g => g.ToList());
        var arms = ArmFamilies.Order(byArm.Keys).ToDictionary(a => a, a => BuildArm(byArm[a], metrics));
        var perProblem = samples.GroupBy(s => s.Arm).ToDictionary(
            g => g.Key,
            g => g.GroupBy(s => s.ProblemId).ToDictionary(p => p.Key, p => (Accuracy: p.Average(s => s.Correct ? 1.0 : 0.0), Count: p.Count())));
        return new TaskSummary
        {
            Metrics = metrics,
            Arms = arms,
            Recovery = BuildRecovery(perProblem, [.. arms.Keys]),
            Comparisons = BuildComparisons(perProblem, [.. arms.Keys]),
        };
    }

    private static ArmSummary BuildArm(IReadOnlyList<SampleRecord> samples, IReadOnlyList<string> metrics)
    {
        var byProblem = samples.GroupBy(s => s.ProblemId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(s => s.Sample).ToList()).ToList();
        var n = byProblem.Min(p => p.Count);
        var ks = Ks(n);
        // One column per metric (per-problem values), bootstrapped together over the same problem resamples.
        var columns = new List<IReadOnlyList<double>> { byProblem.Select(p => p.Average(s => s.Correct ? 1.0 : 0.0)).ToArray() };
        var pass = metrics.Contains(PassAtKMetric);
        var maj = metrics.Contains(MajAtKMetric);
        var keys = maj ? byProblem.Select(p => p.Select(s => new VoteSample(s.Error is null && s.Extracted is not null ? AnswerNormalizer.Key(s.Extracted) : null, s.Correct)).ToArray()).ToList() : [];
        foreach (var k in ks)
        {
            if (pass)
            {
                columns.Add(byProblem.Select(p => PassAtK.Estimate(p.Count, p.Count(s => s.Correct), k)).ToArray());
            }
            if (maj)
            {
                columns.Add(keys.Select(v => MajorityVote.IsCorrect(v, k) ? 1.0 : 0.0).ToArray());
            }
        }
        var intervals = ProblemBootstrap.Means(columns);
        var accuracy = intervals[0];
        var passAtK = new SortedDictionary<int, Interval>();
        var majAtK = new SortedDictionary<int, Interval>();
        var next = 1;
        foreach (var k in ks)
        {
            if (pass)
            {
                passAtK[k] = intervals[next++];
            }
            if (maj)
            {
                majAtK[k] = intervals[next++];
            }
        }
        var ran = samples.Where(s => s.Error is null).ToList();
        var tokens = ran.Sum(s => (long)s.ResponseTokens);
        var takeovers = ran.Sum(s => (long)s.Takeovers);
        return new ArmSummary
        {
            N = samples.Count,
            Problems = byProblem.Count,
            SamplesPerProblem = n,
            Correct = samples.Count(s => s.Correct),
            Failed = samples.Count - ran.Count,
            Accuracy = accuracy.Value,
            CiLow = accuracy.Low,
            CiHigh = accuracy.High,
            PassAtK = passAtK,
            MajAtK = majAtK,
            Rho = ran.Count == 0 ? 0 : ran.Average(s => s.Rho),
            RhoTokenWeighted = tokens == 0 ? 0 : (double)takeovers / tokens,
            Takeovers = takeovers,
            ResponseTokens = tokens,
            Truncated = ran.Count == 0 ? 0 : ran.Count(s => s.Truncated) / (double)ran.Count,
            BySubject = Groups(samples, s => s.Subject),
            ByLevel = Groups(samples, s => s.Level),
        };
    }

    /// <summary>
    /// The metrics each task declares, as the run carries them in the manifest's settings (`metrics:TASK` =
    /// "mean,pass_at_k,maj_at_k"); a task with no entry shows all.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> DeclaredMetrics(RunManifest manifest) =>
        manifest.Settings.Where(kv => kv.Key.StartsWith(MetricsSetting, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[MetricsSetting.Length..],
                kv => (IReadOnlyList<string>)[.. kv.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]);

        /// <summary>1, 2, 4 ... below n, and n itself.</summary>
    public static IReadOnlyList<int> Ks(int n)
    {
        var ks = new List<int>();
        for (var k = 1; k < n; k *= 2)
        {
            ks.Add(k);
        }
        if (n >= 1)
        {
            ks.Add(n);
        }
        return ks;
    }

    private static Dictionary<string, GroupSummary>? Groups(IReadOnlyList<SampleRecord> samples, Func<SampleRecord, string?> key)
    {
        if (samples.All(s => key(s) is null))
        {
            return null;
        }
        return samples.GroupBy(s => key(s) ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g =>
        {
            var perProblem = g.GroupBy(s => s.ProblemId).Select(p => p.Average(s => s.Correct ? 1.0 : 0.0)).ToList();
            var ci = ProblemBootstrap.Mean(perProblem);
            return new GroupSummary(g.Count(), perProblem.Count, ci.Value, ci.Low, ci.High);
        });
    }

    private static Dictionary<string, RecoverySummary> BuildRecovery(
        Dictionary<string, Dictionary<string, (double Accuracy, int Count)>> perProblem, IReadOnlyList<string> arms)
    {
        var result = new Dictionary<string, RecoverySummary>(StringComparer.Ordinal);
        var reference = arms.Contains(ArmFamilies.Reference) ? ArmFamilies.Reference : arms.Contains(ArmFamilies.Guide) ? ArmFamilies.Guide : null;
        if (reference is null || !arms.Contains(BaseArm))
        {
            return result;
        }
        foreach (var arm in arms.Where(a => a != BaseArm && a != reference))
        {
            var shared = Shared(perProblem, arm, BaseArm, reference);
            if (shared.Count == 0)
            {
                continue;
            }
            var interval = Recovery.Compute(
                [.. shared.Select(k => perProblem[arm][k].Accuracy)],
                [.. shared.Select(k => perProblem[BaseArm][k].Accuracy)],
                [.. shared.Select(k => perProblem[reference][k].Accuracy)]);
            result[arm] = new RecoverySummary { BaseArm = BaseArm, ReferenceArm = reference, Value = interval.Value, CiLow = interval.Low, CiHigh = interval.High };
        }
        return result;
    }

    private static List<ArmComparison> BuildComparisons(
        Dictionary<string, Dictionary<string, (double Accuracy, int Count)>> perProblem, IReadOnlyList<string> arms)
    {
        var pairs = new List<(string Arm, string Against)>();
        foreach (var arm in arms)
        {
            if (arm != BaseArm && arms.Contains(BaseArm))
            {
                pairs.Add((arm, BaseArm));
            }
            if (ArmFamilies.MatchedGuided(arm, arms) is { } guided)
            {
                pairs.Add((guided, arm));
            }
        }
        var result = new List<ArmComparison>();
        foreach (var (arm, against) in pairs)
        {
            var shared = Shared(perProblem, arm, against);
            if (shared.Count == 0)
            {
                continue;
            }
            var greedy = shared.All(k => perProblem[arm][k].Count == 1 && perProblem[against][k].Count == 1);
            var r = PairedTest.Compare([.. shared.Select(k => perProblem[arm][k].Accuracy)], [.. shared.Select(k => perProblem[against][k].Accuracy)], greedy);
            result.Add(new ArmComparison(arm, against, r.Problems, r.Difference, r.Low, r.High, r.PValue, r.Test));
        }
        return result;
    }

    private static List<string> Shared(Dictionary<string, Dictionary<string, (double Accuracy, int Count)>> perProblem, string arm, params string[] others) =>
        [.. perProblem[arm].Keys.Where(k => others.All(o => perProblem[o].ContainsKey(k))).Order(StringComparer.Ordinal)];
}
