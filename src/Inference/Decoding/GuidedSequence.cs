using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Decoding;

/// <summary>
/// The per-sequence state machine of one response under one arm, independent of how models are run (the
/// in-process decoder and the cluster's generation grain both drive it). Per step: <see cref="NeedsGuide"/>
/// with the base's next-token log-probabilities, then <see cref="Step"/> with the guide's when needed. A
/// takeover samples one token from p_r with the same sampling settings; the next step is the base's again
/// (the gate is asked afresh at every position).
/// </summary>
public sealed class GuidedSequence
{
    private readonly IGate _gate;
    private readonly SamplingOptions _sampling;
    private readonly SequenceRandom _rng;
    private readonly IReadOnlySet<int> _eosIds;
    private readonly List<int> _tokens = [];
    private readonly List<TokenTrace> _trace = [];
    private int _plannedPosition = -1;
    private GatePlan _plan;
    private BaseFeatures _features;

    public GuidedSequence(IGate gate, DivergenceKind score, SamplingOptions sampling, SequenceRandom rng,
        int maxNewTokens, IReadOnlySet<int> eosIds, int? cap = null)
    {
        _gate = gate;
        ScoreKind = score;
        _sampling = sampling;
        _rng = rng;
        MaxNewTokens = maxNewTokens;
        _eosIds = eosIds;
        Cap = cap;
        if (maxNewTokens <= 0)
        {
            FinishReason = Decoding.FinishReason.Length;
        }
    }

    /// <summary>The sequence of one arm: its gate (seeded), score kind and cap come from the spec.</summary>
    /// <param name="gateSeed">Seed of the random arm's positions; derive it per (problem, sample).</param>
    /// <param name="baseResponseLength">Early arm with rho: the base's response length for the same problem and sample.</param>
    public static GuidedSequence ForArm(ArmSpec arm, ulong gateSeed, SamplingOptions sampling, SequenceRandom rng,
        int maxNewTokens, IReadOnlySet<int> eosIds, int? baseResponseLength = null) =>
        new(GateFactory.Create(arm, gateSeed, baseResponseLength), arm.ScoreKind, sampling, rng, maxNewTokens, eosIds, arm.Cap);

    public DivergenceKind ScoreKind { get; }

    /// <summary>
    /// Strings that end generation once the decoded response contains one (the task's generation.stop); the token
    /// that completes one is kept. Both decode loops check them after every step with <see cref="EndIfStopped"/>.
    /// </summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Response tokens to decode for the stop check: enough for the longest stop string even at one byte per token.</summary>
    public int StopTailTokens => StopStrings.Count == 0 ? 0 : 4 * StopStrings.Max(s => s.Length) + 4;

    /// <summary>Whether the loop must decode the tail after this step (stop strings given and the sequence still running).</summary>
    public bool NeedsStopCheck => StopStrings.Count > 0 && !IsFinished;

    /// <summary>The last <see cref="StopTailTokens"/> response tokens, to decode for <see cref="EndIfStopped"/>.</summary>
    public int[] StopTail() => [.. _tokens.Skip(Math.Max(0, _tokens.Count - StopTailTokens))];

    /// <summary>Ends the sequence (<see cref="Decoding.FinishReason.Stop"/>) when the decoded tail contains a stop string.</summary>
    public bool EndIfStopped(string decodedTail)
    {
        if (IsFinished || !StopStrings.Any(s => decodedTail.Contains(s, StringComparison.Ordinal)))
        {
            return false;
        }
        FinishReason = Decoding.FinishReason.Stop;
        return true;
    }

    public int MaxNewTokens { get; }

    public int? Cap { get; }

    /// <summary>The models this sequence's arm steps.</summary>
    public ArmModels Models => _gate.Models;

    public bool IsFinished => FinishReason is not null;

    public FinishReason? FinishReason { get; private set; }

    /// <summary>Every generated token, including a final end-of-sequence token.</summary>
    public IReadOnlyList<int> ResponseTokens => _tokens;

    public IReadOnlyList<TokenTrace> Trace => _trace;

    public int Takeovers { get; private set; }

    /// <summary>Realised budget: takeovers / generated tokens (0 before the first token).</summary>
    public double Rho => _tokens.Count == 0 ? 0 : (double)Takeovers / _tokens.Count;

    /// <summary>
    /// Whether this step needs the guide's distribution (lazy guide): false when the gate decides from the base
    /// alone. Pass null for arms that never step the base.
    /// </summary>
    public bool NeedsGuide(float[]? baseLogProbs)
    {
        Prepare(baseLogProbs);
        return _plan != GatePlan.Base;
    }

    /// <summary>
    /// Whether the next step needs the guide, asked before the base's distribution is known: null when the gate
    /// reads base features (ask <see cref="NeedsGuide"/> with them instead). A caller that gets true may feed the
    /// base and the guide for this step concurrently; the answer is the one <see cref="NeedsGuide"/> will give.
    /// </summary>
    public bool? NeedsGuideAhead()
    {
        if (_gate.UsesBaseFeatures)
        {
            return null;
        }
        Prepare(null);
        return _plan != GatePlan.Base;
    }

    /// <summary>Chooses and appends the next token. The guide's log-probabilities may be given even when not needed (eager mode: the score is then traced).</summary>
    public TokenDecision Step(float[]? baseLogProbs, float[]? guideLogProbs)
    {
        Prepare(baseLogProbs);
        var position = _tokens.Count;
        if (baseLogProbs is null && Models.HasFlag(ArmModels.Base))
        {
            throw new InvalidOperationException($"position {position}: this arm steps the base model; pass its log-probabilities.");
        }
        if (_plan != GatePlan.Base && guideLogProbs is null)
        {
            throw new InvalidOperationException($"position {position}: the gate needs the guide's log-probabilities; call NeedsGuide first and feed the guide.");
        }
        double guideEntropy = double.NaN, baseEntropy = _features.Entropy, score;
        if (baseLogProbs is not null && guideLogProbs is not null)
        {
            var moments = DivergenceKernels.Moments(baseLogProbs, guideLogProbs);
            guideEntropy = moments.GuideEntropy;
            baseEntropy = moments.BaseEntropy;
            score = DivergenceScore.Compute(ScoreKind, baseLogProbs, guideLogProbs, moments);
        }
        else if (guideLogProbs is not null)
        {
            guideEntropy = DivergenceKernels.Entropy(guideLogProbs);
            score = double.NaN;
        }
        else
        {
            baseEntropy = double.IsNaN(baseEntropy) ? DivergenceKernels.Entropy(baseLogProbs) : baseEntropy;
            score = DivergenceScore.FromBase(ScoreKind, baseLogProbs, baseEntropy);
        }
        var takeover = _plan switch
        {
            GatePlan.Guide => true,
            GatePlan.Score => _gate.Decide(position, score),
            _ => false,
        };
        _gate.Observe(position, score);
        var token = Sampler.Sample(takeover ? guideLogProbs! : baseLogProbs!, _sampling, _rng);
        var trace = new TokenTrace(position, token, takeover ? TokenSource.Guide : TokenSource.Base, score,
            baseEntropy, guideEntropy, LogProb(baseLogProbs, token), LogProb(guideLogProbs, token));
        _tokens.Add(token);
        _trace.Add(trace);
        Takeovers += takeover ? 1 : 0;
        if (_eosIds.Contains(token))
        {
            FinishReason = Decoding.FinishReason.Eos;
        }
        else if (_tokens.Count >= MaxNewTokens)
        {
            FinishReason = Decoding.FinishReason.Length;
        }
        return new TokenDecision(trace, IsFinished);
    }

    private void Prepare(float[]? baseLogProbs)
    {
        if (IsFinished)
        {
            throw new InvalidOperationException($"the sequence already finished ({FinishReason}).");
        }
        var position = _tokens.Count;
        if (_plannedPosition == position)
        {
            return;
        }
        // Gates that plan from the position alone may plan before the base's distribution exists (NeedsGuideAhead).
        if (baseLogProbs is null && Models.HasFlag(ArmModels.Base) && _gate.UsesBaseFeatures)
        {
            throw new InvalidOperationException($"position {position}: this arm steps the base model; pass its log-probabilities.");
        }
        // H_b and the top-1 probability cost a pass over the vocabulary: computed here only when the gate reads
        // them; otherwise H_b comes from the step's one-pass moments (or a lone entropy pass) in Step.
        _features = baseLogProbs is null || !_gate.UsesBaseFeatures
            ? new BaseFeatures(position, double.NaN, double.NaN)
            : new BaseFeatures(position, DivergenceKernels.Entropy(baseLogProbs), DivergenceKernels.Top1Probability(baseLogProbs));
        _plan = _gate.Plan(_features);
        // The cap only applies where the base can speak instead (not to the guide-alone arm).
        if (Takeovers >= Cap && _plan != GatePlan.Base && Models == ArmModels.Both)
        {
            _plan = GatePlan.Base;
        }
        _plannedPosition = position;
    }

    private static double LogProb(float[]? logProbs, int token) => logProbs is null ? double.NaN : logProbs[token];
}

/// <summary>Why a sequence stopped: an end-of-sequence token, the token limit, or a stop string in its decoded tail.</summary>
public enum FinishReason
{
    Eos,
    Length,
    Stop,
}
