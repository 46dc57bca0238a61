namespace EvalCluster.Grains.Models;

/// <summary>A model's KV budget and how sessions are admitted against it (see <see cref="KvAdmission"/>).</summary>
/// <param name="BudgetBytes">KV bytes the model may hold at once (the lane's KvBudgetBytes).</param>
/// <param name="WorstCase">Charge each session its declared worst case (prompt + max new tokens) from open to close
/// instead of the tokens it holds; never preempts, admits fewer (the pre-scheduler behaviour, kept for comparison).</param>
/// <param name="ReserveTokens">Growth kept free per resident session when admitting another (vLLM's one block).</param>
public sealed record KvLimits(long BudgetBytes, bool WorstCase = false, int ReserveTokens = 16)
{
    /// <summary>No limit (every session admitted at once).</summary>
    public static KvLimits None { get; } = new(long.MaxValue);

    /// <summary>Called with each change of the bytes charged (metrics).</summary>
    public Action<long> BytesChanged { get; init; } = _ => { };

    /// <summary>Called with each change of the number of sessions waiting for memory (metrics).</summary>
    public Action<int> WaitingChanged { get; init; } = _ => { };

    /// <summary>Called once per preemption (metrics).</summary>
    public Action Preempted { get; init; } = () => { };
}

/// <summary>
/// The session table of one model thread and its KV accounting, vLLM-style: a session holds KV only while
/// resident; it becomes resident when the bytes in use, a reserve of <see cref="KvLimits.ReserveTokens"/> per
/// resident session and its own first piece fit the budget (oldest waiting session first, no overtaking); a step
/// whose growth would pass the budget preempts the youngest resident session instead (its KV is dropped, its
/// tokens kept and fed again when it is readmitted). Used only on the model thread: not thread-safe.
/// </summary>
internal sealed class KvAdmission(KvLimits limits, long bytesPerToken)
{
    private readonly Dictionary<int, Entry> _entries = [];
    private int _next;

    public enum Decision
    {
        Admit,
        Wait,
        TooLarge,
    }

    public KvLimits Limits => limits;

    /// <summary>Bytes charged for resident sessions now.</summary>
    public long UsedBytes { get; private set; }

    public int Resident { get; private set; }

    /// <summary>Most sessions resident at once so far.</summary>
    public int MaxResident { get; private set; }

    public int Preemptions { get; private set; }

    public int Add(int maxTokens)
    {
        var id = ++_next;
        _entries[id] = new Entry(maxTokens);
        return id;
    }

    public bool Contains(int session) => _entries.ContainsKey(session);

    /// <summary>The engine's session for a resident one, else null.</summary>
    public int? Engine(int session) => _entries.TryGetValue(session, out var e) ? e.Engine : null;

    /// <summary>Tokens the session will hold after its first piece of <paramref name="firstTokens"/> (its admission need).</summary>
    public int NeedTokens(int session, int firstTokens) => (_entries[session].Saved?.Length ?? 0) + firstTokens;

    /// <summary>Tokens of a preempted session, to feed again when readmitted (null when none).</summary>
    public int[]? Saved(int session) => _entries.TryGetValue(session, out var e) ? e.Saved : null;

    /// <summary>Whether a waiting session whose first piece has <paramref name="firstTokens"/> tokens may become resident
    /// now, beside <paramref name="pendingTokens"/> first-piece tokens of sessions admitted for the same step.</summary>
    public Decision CanAdmit(int session, int firstTokens, long pendingTokens = 0)
    {
        var e = _entries[session];
        var tokens = (long)(e.Saved?.Length ?? 0) + firstTokens;
        if (limits.WorstCase)
        {
            var worst = Math.Max(e.MaxTokens, tokens) * bytesPerToken;
            return worst > limits.BudgetBytes ? Decision.TooLarge : Resident == 0 || UsedBytes + worst <= limits.BudgetBytes ? Decision.Admit : Decision.Wait;
        }
        if (tokens * bytesPerToken > limits.BudgetBytes)
        {
            return Decision.TooLarge;
        }
        var reserve = (long)limits.ReserveTokens * bytesPerToken * (Resident + 1);
        return Resident == 0 || UsedBytes + reserve + (pendingTokens + tokens) * bytesPerToken <= limits.BudgetBytes ? Decision.Admit : Decision.Wait;
    }

    public void Admitted(int session, int engine)
    {
        var e = _entries[session];
        e.Engine = engine;
        e.Tokens = 0;
        e.Saved = null;
        Resident++;
        MaxResident = Math.Max(MaxResident, Resident);
        Charge(e, limits.WorstCase ? e.MaxTokens * bytesPerToken : 0);
    }

    /// <summary>Whether resident sessions may grow by <paramref name="tokens"/> more tokens in total.</summary>
    public bool FitsGrowth(long tokens) => limits.WorstCase || UsedBytes + tokens * bytesPerToken <= limits.BudgetBytes;

    public void Grew(int session, int tokens)
    {
        if (_entries.TryGetValue(session, out var e) && e.Engine is not null)
        {
            e.Tokens += tokens;
            Charge(e, limits.WorstCase ? e.Charged : e.Tokens * bytesPerToken);
        }
    }

    /// <summary>The youngest resident session (the preemption victim), or null when none.</summary>
    public int? Youngest() => _entries.Where(p => p.Value.Engine is not null).Select(p => (int?)p.Key).Max();

    /// <summary>Records that a resident session's KV was dropped; <paramref name="tokens"/> are fed again on readmission.</summary>
    public void Preempt(int session, int[] tokens)
    {
        var e = _entries[session];
        Evict(e);
        e.Saved = tokens;
        Preemptions++;
        limits.Preempted();
    }

    /// <summary>Forgets a session; returns its engine session when it was resident.</summary>
    public int? Remove(int session)
    {
        if (!_entries.Remove(session, out var e))
        {
            return null;
        }
        var engine = e.Engine;
        Evict(e);
        return engine;
    }

    private void Evict(Entry e)
    {
        if (e.Engine is not null)
        {
            Resident--;
        }
        e.Engine = null;
        e.Tokens = 0;
        Charge(e, 0);
    }

    private void Charge(Entry e, long bytes)
    {
        var delta = bytes - e.Charged;
        e.Charged = bytes;
        UsedBytes += delta;
        if (delta != 0)
        {
            limits.BytesChanged(delta);
        }
    }

    // Session ids grow with arrival, so the id orders sessions by age.
    private sealed class Entry(int maxTokens)
    {
        public int MaxTokens { get; } = maxTokens;

        public int? Engine { get; set; }

        public int Tokens { get; set; }

        public long Charged { get; set; }

        public int[]? Saved { get; set; }
    }
}
