namespace EvalCluster.Grains.Models;

/// <summary>
/// Plans one engine step from the queued forward requests (vLLM's scheduler, reduced to what one model thread
/// needs): decode requests (one token) first, then prefills and catch-ups in arrival order under a per-step
/// token budget, the last one cut into a chunk that continues next step. At most one piece per session and
/// never a session's later request before its earlier one; at most <c>maxRows</c> sessions per step.
/// </summary>
internal static class StepPlanner
{
    public static List<(BatchWork.Forward Work, int Count)> Plan(IEnumerable<BatchWork.Forward> queued, int maxRows, int tokenBudget)
    {
        var live = queued.Where(f => !f.IsCancelled).ToList();
        var step = new List<(BatchWork.Forward, int)>();
        var seen = new HashSet<int>();
        var tokens = 0;
        foreach (var f in live)
        {
            if (seen.Add(f.Session) && f.Remaining == 1 && step.Count < maxRows)
            {
                step.Add((f, 1));
                tokens++;
            }
        }
        seen.Clear();
        var taken = step.Select(s => s.Item1).ToHashSet();
        foreach (var f in live)
        {
            if (!seen.Add(f.Session) || taken.Contains(f) || f.Remaining == 1)
            {
                continue;
            }
            var left = tokenBudget - tokens;
            if (step.Count >= maxRows || (left <= 0 && step.Count > 0))
            {
                break;
            }
            var count = Math.Min(f.Remaining, Math.Max(1, left));
            step.Add((f, count));
            tokens += count;
        }
        return step;
    }
}
