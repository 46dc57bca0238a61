using EvalCluster.Evaluation.Grading;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Metrics;

/// <summary>
/// Aggregates sample records into summary.json: per task and arm mean@n with a Wilson interval, pass@k and
/// maj@k for k = 1, 2, 4 ... n (n = the smallest samples-per-problem count of the arm), mean rho, truncated
/// share, per-subject and per-level accuracy, and recovery of every other arm relative to "base" and the
/// reference arm ("reference" when the run has one, else "guide").
/// </summary>
public static class SummaryBuilder
{
    public const string BaseArm = "base";

    public static RunSummary Build(string runId, IEnumerable<SampleRecord> samples)
    {
        var tasks = samples.GroupBy(s => s.Task)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => BuildTask([.. g]));
        return new RunSummary { RunId = runId, Tasks = tasks };
    }

    private static TaskSummary BuildTask(IReadOnlyList<SampleRecord> samples)
    {
        var arms = samples.GroupBy(s => s.Arm).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => BuildArm([.. g]));
        return new TaskSummary { Arms = arms, Recovery = BuildRecovery(samples, arms.Keys.ToList()) };
    }

    private static ArmSummary BuildArm(IReadOnlyList<SampleRecord> samples)
    {
        var byProblem = samples.GroupBy(s => s.ProblemId)
            .Select(g => g.OrderBy(s => s.Sample).ToList()).ToList();
        var correct = samples.Count(s => s.Correct);
        var ci = WilsonInterval.Compute(correct, samples.Count);
        var n = byProblem.Min(p => p.Count);
        var passAtK = new SortedDictionary<int, double>();
        var majAtK = new SortedDictionary<int, double>();
        foreach (var k in Ks(n))
        {
            passAtK[k] = byProblem.Average(p => PassAtK.Estimate(p.Count, p.Count(s => s.Correct), k));
            majAtK[k] = byProblem.Average(p => MajorityVote.IsCorrect(
                [.. p.Select(s => new VoteSample(s.Extracted is null ? null : AnswerNormalizer.Key(s.Extracted), s.Correct))], k) ? 1.0 : 0.0);
        }
        return new ArmSummary
        {
            N = samples.Count,
            Problems = byProblem.Count,
            Accuracy = ci.Value,
            CiLow = ci.Low,
            CiHigh = ci.High,
            PassAtK = passAtK,
            MajAtK = majAtK,
            Rho = samples.Average(s => s.Rho),
            Truncated = samples.Count(s => s.Truncated) / (double)samples.Count,
            BySubject = Groups(samples, s => s.Subject),
            ByLevel = Groups(samples, s => s.Level),
        };
    }

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
            var ci = WilsonInterval.Compute(g.Count(s => s.Correct), g.Count());
            return new GroupSummary(g.Count(), ci.Value, ci.Low, ci.High);
        });
    }

    private static Dictionary<string, RecoverySummary> BuildRecovery(IReadOnlyList<SampleRecord> samples, IReadOnlyList<string> arms)
    {
        var result = new Dictionary<string, RecoverySummary>(StringComparer.Ordinal);
        var reference = arms.Contains("reference") ? "reference" : arms.Contains("guide") ? "guide" : null;
        if (reference is null || !arms.Contains(BaseArm))
        {
            return result;
        }
        var perProblem = samples.GroupBy(s => s.Arm).ToDictionary(
            g => g.Key,
            g => g.GroupBy(s => s.ProblemId).ToDictionary(p => p.Key, p => p.Average(s => s.Correct ? 1.0 : 0.0)));
        foreach (var arm in arms.Where(a => a != BaseArm && a != reference))
        {
            var shared = perProblem[arm].Keys.Where(k => perProblem[BaseArm].ContainsKey(k) && perProblem[reference].ContainsKey(k))
                .Order(StringComparer.Ordinal).ToList();
            if (shared.Count == 0)
            {
                continue;
            }
            var interval = Recovery.Compute(
                [.. shared.Select(k => perProblem[arm][k])],
                [.. shared.Select(k => perProblem[BaseArm][k])],
                [.. shared.Select(k => perProblem[reference][k])]);
            result[arm] = new RecoverySummary { BaseArm = BaseArm, ReferenceArm = reference, Value = interval.Value, CiLow = interval.Low, CiHigh = interval.High };
        }
        return result;
    }
}
