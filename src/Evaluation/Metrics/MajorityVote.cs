namespace EvalCluster.Evaluation.Metrics;

/// <summary>
/// maj@k of one problem: the first k samples (in sample order) vote with their answer keys; samples without
/// an answer do not vote. The most frequent answer wins; a tie goes to the tied answer that appeared first
/// (the lowest sample index), so the result is deterministic. The problem scores 1 when the winner is
/// correct and 0 when it is wrong or nobody voted.
/// </summary>
public static class MajorityVote
{
    public static bool IsCorrect(IReadOnlyList<VoteSample> samples, int k)
    {
        var counts = new Dictionary<string, (int Count, int First, bool Correct)>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(k, samples.Count); i++)
        {
            var s = samples[i];
            if (s.AnswerKey is null)
            {
                continue;
            }
            counts[s.AnswerKey] = counts.TryGetValue(s.AnswerKey, out var e)
                ? (e.Count + 1, e.First, e.Correct)
                : (1, i, s.Correct);
        }
        if (counts.Count == 0)
        {
            return false;
        }
        var winner = counts.Values.OrderByDescending(v => v.Count).ThenBy(v => v.First).First();
        return winner.Correct;
    }
}
