using EvalCluster.Contracts.Models;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Grains.Generation;

/// <summary>
/// Drives one <see cref="GuidedSequence"/> against a lane's base and guide model grains exactly as the
/// single-process DualModelDecoder does in lazy mode: the base is prefilled and fed every chosen token; the
/// guide is consulted only when the gate needs it, catching up its prompt (first time) and every unseen
/// response token in one request. When the gate knows before the base's step that it needs the guide
/// (guided without pre-filter, random, early), both requests go out together, so neither model grain's batch
/// waits on the other model's pass. Sessions are closed whatever happens.
/// </summary>
internal sealed class LaneSequenceRunner(IModelGrain baseModel, IModelGrain guideModel)
{
    private int? _baseSession;
    private int? _guideSession;
    private int _guideFed;
    private Task<float[]>? _guideAhead;

    public int GuideConsultations { get; private set; }

    public int GuideTokensFed { get; private set; }

    public async Task RunAsync(GuidedSequence sequence, int[] basePrompt, int[] guidePrompt,
        Action<TokenDecision> onToken, CancellationToken cancellationToken)
    {
        var usesBase = sequence.Models.HasFlag(ArmModels.Base);
        var usesGuide = sequence.Models.HasFlag(ArmModels.Guide);
        try
        {
            float[]? baseLp = null;
            if (usesBase && !sequence.IsFinished)
            {
                _baseSession = await baseModel.OpenSessionAsync(basePrompt.Length + sequence.MaxNewTokens, cancellationToken);
                _guideAhead = Ahead(sequence, usesGuide, guidePrompt, cancellationToken);
                baseLp = (await baseModel.ForwardAsync(_baseSession.Value, new(basePrompt), cancellationToken)).Values;
            }
            while (!sequence.IsFinished)
            {
                var guideLp = _guideAhead is null ? null : await _guideAhead;
                if (guideLp is null && usesGuide && sequence.NeedsGuide(baseLp))
                {
                    guideLp = await ConsultGuideAsync(sequence, guidePrompt, cancellationToken);
                }
                var decision = sequence.Step(baseLp, guideLp);
                if (sequence.NeedsStopCheck)
                {
                    var text = await (usesBase ? baseModel : guideModel).DecodeAsync(new(sequence.StopTail()));
                    decision = decision with { Finished = sequence.EndIfStopped(text) };
                }
                onToken(decision);
                _guideAhead = null;
                if (!decision.Finished && usesBase)
                {
                    var step = baseModel.ForwardAsync(_baseSession!.Value, new([decision.Token]), cancellationToken);
                    _guideAhead = Ahead(sequence, usesGuide, guidePrompt, cancellationToken);
                    baseLp = (await step).Values;
                }
            }
        }
        finally
        {
            // A guide request started ahead may still be opening its session when the base's fails: let it land first.
            if (_guideAhead is { } ahead)
            {
                await Task.WhenAny(ahead);
            }
            if (_baseSession is { } b)
            {
                await baseModel.CloseSessionAsync(b);
            }
            if (_guideSession is { } g)
            {
                await guideModel.CloseSessionAsync(g);
            }
        }
    }

    // The guide's request for the next step, started now when the gate needs it whatever the base says.
    private Task<float[]>? Ahead(GuidedSequence sequence, bool usesGuide, int[] guidePrompt, CancellationToken cancellationToken) =>
        usesGuide && sequence.NeedsGuideAhead() == true ? ConsultGuideAsync(sequence, guidePrompt, cancellationToken) : null;

    private async Task<float[]> ConsultGuideAsync(GuidedSequence sequence, int[] guidePrompt, CancellationToken cancellationToken)
    {
        var response = sequence.ResponseTokens;
        var unseen = response.Skip(_guideFed);
        var first = _guideSession is null;
        GuideTokensFed += response.Count - _guideFed;
        _guideFed = response.Count;
        GuideConsultations++;
        var tokens = first ? [.. guidePrompt, .. unseen] : unseen.ToArray();
        _guideSession ??= await guideModel.OpenSessionAsync(guidePrompt.Length + sequence.MaxNewTokens, cancellationToken);
        return (await guideModel.ForwardAsync(_guideSession.Value, new(tokens), cancellationToken)).Values;
    }
}
