using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Models;

namespace EvalCluster.Inference.Decoding;

/// <summary>
/// Decodes many <see cref="GuidedSequence"/>s over a base and a guide <see cref="ICausalLm"/> in one process:
/// per step ONE batched forward per model for all active sequences that need it. The base is fed every chosen
/// token; the guide (lazy mode) only when a sequence's gate needs it, then catching up every token it has not
/// seen (its prompt too, on first use) in one multi-token request. Either model may be null when no arm in the
/// batch needs it.
/// </summary>
/// <param name="decode">Token ids to text, for sequences with stop strings (their decoded tail is checked after every step).</param>
public sealed class DualModelDecoder(ICausalLm? baseModel, ICausalLm? guideModel, GuideMode mode = GuideMode.Lazy, Func<int[], string>? decode = null)
{
    public DecodeResult Decode(IReadOnlyList<DecodeRequest> requests)
    {
        var slots = requests.Select(r => new DecodeSlot(r)).ToList();
        var counters = new Counter();
        try
        {
            PrefillBase(slots.Where(s => UsesBase(s) && !s.Sequence.IsFinished).ToList(), counters);
            for (var active = Active(slots); active.Count > 0; active = Active(slots))
            {
                var consult = active.Where(s => UsesGuide(s) && (EagerFor(s) || s.Sequence.NeedsGuide(s.BaseLogProbs))).ToList();
                var consulted = consult.ToHashSet();
                CatchUpGuide(consult, counters);
                var stepped = new List<DecodeSlot>();
                foreach (var slot in active)
                {
                    var decision = slot.Sequence.Step(slot.BaseLogProbs, consulted.Contains(slot) ? slot.GuideLogProbs : null);
                    counters.Generated++;
                    if (slot.Sequence.NeedsStopCheck)
                    {
                        var text = (decode ?? throw new InferenceException("a sequence has stop strings but the decoder was given no token decoder.")).Invoke(slot.Sequence.StopTail());
                        decision = decision with { Finished = slot.Sequence.EndIfStopped(text) };
                    }
                    if (decision.Finished)
                    {
                        Release(slot);
                    }
                    else if (UsesBase(slot))
                    {
                        stepped.Add(slot);
                    }
                }
                StepBase(stepped, counters);
            }
        }
        finally
        {
            slots.ForEach(Release);
        }
        var results = slots.Select(s => new SequenceResult(s.Sequence.ResponseTokens.ToArray(), s.Sequence.FinishReason!.Value,
            s.Sequence.Trace.ToArray(), s.Sequence.Takeovers, s.Sequence.Rho, s.GuideConsultations, s.GuideTokensFed,
            s.BaseContext, s.GuideContext)).ToList();
        return new DecodeResult(results, counters.ToRecord());
    }

    private static List<DecodeSlot> Active(List<DecodeSlot> slots) => slots.Where(s => !s.Sequence.IsFinished).ToList();

    private static bool UsesBase(DecodeSlot slot) => slot.Sequence.Models.HasFlag(ArmModels.Base);

    private bool UsesGuide(DecodeSlot slot) => slot.Sequence.Models.HasFlag(ArmModels.Guide) || (mode == GuideMode.Eager && guideModel is not null);

    private bool EagerFor(DecodeSlot slot) => mode == GuideMode.Eager && guideModel is not null;

    private void PrefillBase(List<DecodeSlot> slots, Counter counters)
    {
        if (slots.Count == 0)
        {
            return;
        }
        var model = baseModel ?? throw new InferenceException("an arm in this batch steps the base model but no base model was given.");
        foreach (var slot in slots)
        {
            slot.BaseSession = model.OpenSession();
        }
        var results = model.Forward(slots.Select(s => new ForwardRequest(s.BaseSession!.Value, s.Request.BasePrompt.ToArray())).ToList());
        counters.BaseCalls++;
        for (var i = 0; i < slots.Count; i++)
        {
            slots[i].BaseLogProbs = results[i].Last;
        }
    }

    private void StepBase(List<DecodeSlot> slots, Counter counters)
    {
        if (slots.Count == 0)
        {
            return;
        }
        var results = baseModel!.Forward(slots.Select(s => new ForwardRequest(s.BaseSession!.Value, new[] { s.Sequence.ResponseTokens[^1] })).ToList());
        counters.BaseCalls++;
        for (var i = 0; i < slots.Count; i++)
        {
            slots[i].BaseLogProbs = results[i].Last;
        }
    }

    private void CatchUpGuide(List<DecodeSlot> slots, Counter counters)
    {
        if (slots.Count == 0)
        {
            return;
        }
        var model = guideModel ?? throw new InferenceException("an arm in this batch needs the guide model but no guide model was given.");
        var requests = new List<ForwardRequest>(slots.Count);
        foreach (var slot in slots)
        {
            var response = slot.Sequence.ResponseTokens;
            var unseen = response.Skip(slot.GuideFed);
            if (slot.GuideSession is null)
            {
                slot.GuideSession = model.OpenSession();
                counters.GuidePrompt += slot.Request.GuidePrompt.Count;
                unseen = slot.Request.GuidePrompt.Concat(unseen);
            }
            counters.GuideTokens += response.Count - slot.GuideFed;
            slot.GuideTokensFed += response.Count - slot.GuideFed;
            slot.GuideFed = response.Count;
            slot.GuideConsultations++;
            requests.Add(new ForwardRequest(slot.GuideSession.Value, unseen.ToArray()));
        }
        var results = model.Forward(requests);
        counters.GuideCalls++;
        counters.Consultations += slots.Count;
        for (var i = 0; i < slots.Count; i++)
        {
            slots[i].GuideLogProbs = results[i].Last;
        }
    }

    private void Release(DecodeSlot slot)
    {
        if (slot.BaseSession is { } b)
        {
            slot.BaseContext = baseModel!.SessionTokens(b).Skip(slot.Request.BasePrompt.Count).ToArray();
            baseModel.CloseSession(b);
            slot.BaseSession = null;
        }
        if (slot.GuideSession is { } g)
        {
            slot.GuideContext = guideModel!.SessionTokens(g).Skip(slot.Request.GuidePrompt.Count).ToArray();
            guideModel.CloseSession(g);
            slot.GuideSession = null;
        }
    }

    private sealed class Counter
    {
        public int BaseCalls;
        public int GuideCalls;
        public long Generated;
        public long Consultations;
        public long GuideTokens;
        public long GuidePrompt;

        public DecoderCounters ToRecord() => new(BaseCalls, GuideCalls, Generated, Consultations, GuideTokens, GuidePrompt);
    }
}

/// <summary>
/// Lazy: the guide is fed only when a gate needs its distribution, catching up all unseen tokens in one
/// multi-token forward. Eager (the paper's way): the guide steps every token whenever a guide model is given,
/// so every trace record has a score (also for the base arm, which calibration uses).
/// </summary>
public enum GuideMode
{
    Lazy,
    Eager,
}
