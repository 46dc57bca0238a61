using EvalCluster.Inference.Models;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Inference.Decoding;

/// <summary>
/// One model as the decode loop sees it: sessions, an asynchronous forward (the next-token log-probabilities after
/// the fed tokens) and a token decoder. The cluster's generation grain supplies one over its lane's model grains;
/// <see cref="DualModelDecoder"/> supplies one that batches every sequence's request into one forward pass.
/// </summary>
public interface IDecodeModel
{
    Task<int> OpenSessionAsync(int capacity, CancellationToken cancellationToken);

    Task<float[]> ForwardAsync(int session, int[] tokens, CancellationToken cancellationToken);

    Task CloseSessionAsync(int session);

    Task<string> DecodeAsync(int[] tokens);
}

/// <summary>
/// THE decode loop of one <see cref="GuidedSequence"/>, shared by the single-process decoder and the cluster: the base
/// is prefilled and fed every chosen token; the guide (lazy) is consulted only when the gate needs it (eager: at every
/// step), catching up its prompt (first time) and every unseen response token in one request. When the gate knows
/// before the base's step that it needs the guide (guided without pre-filter, random, early), both requests go out
/// together, so neither model's batch waits on the other's pass. After each step a sequence with stop strings has its
/// decoded tail checked. Sessions are closed whatever happens.
/// </summary>
public sealed class SequenceLoop(IDecodeModel? baseModel, IDecodeModel? guideModel, bool eager = false)
{
    private int _guideFed;
    private Task<float[]>? _guideAhead;

    /// <summary>Guide requests made (each catches the guide up and returns one distribution).</summary>
    public int GuideConsultations { get; private set; }

    /// <summary>Response tokens fed to the guide (its prompt not counted).</summary>
    public int GuideTokensFed { get; private set; }

    /// <summary>Whether the guide's prompt was fed (the guide was consulted at least once).</summary>
    public bool GuidePromptFed { get; private set; }

    public int? BaseSession { get; private set; }

    public int? GuideSession { get; private set; }

    public async Task RunAsync(GuidedSequence sequence, int[] basePrompt, int[] guidePrompt, Action<TokenDecision>? onToken = null,
        CancellationToken cancellationToken = default)
    {
        var usesBase = sequence.Models.HasFlag(ArmModels.Base);
        var usesGuide = sequence.Models.HasFlag(ArmModels.Guide) || (eager && guideModel is not null);
        try
        {
            float[]? baseLp = null;
            if (usesBase && !sequence.IsFinished)
            {
                var model = baseModel ?? throw new InferenceException("an arm in this batch steps the base model but no base model was given.");
                BaseSession = await model.OpenSessionAsync(basePrompt.Length + sequence.MaxNewTokens, cancellationToken);
                _guideAhead = Ahead(sequence, usesGuide, guidePrompt, cancellationToken);
                baseLp = await model.ForwardAsync(BaseSession.Value, basePrompt, cancellationToken);
            }
            while (!sequence.IsFinished)
            {
                var guideLp = _guideAhead is null ? null : await _guideAhead;
                _guideAhead = null;
                if (guideLp is null && usesGuide && (eager || sequence.NeedsGuide(baseLp)))
                {
                    guideLp = await ConsultGuideAsync(sequence, guidePrompt, cancellationToken);
                }
                var decision = sequence.Step(baseLp, guideLp);
                // The step's distributions are spent (Step keeps none): their rows go back to the pool for the next step.
                LogProbRows.Return(baseLp);
                LogProbRows.Return(guideLp);
                baseLp = null;
                if (sequence.NeedsStopCheck)
                {
                    var text = await (usesBase ? baseModel! : guideModel!).DecodeAsync(sequence.StopTail());
                    decision = decision with { Finished = sequence.EndIfStopped(text) };
                }
                onToken?.Invoke(decision);
                if (!decision.Finished && usesBase)
                {
                    var step = baseModel!.ForwardAsync(BaseSession!.Value, [decision.Token], cancellationToken);
                    _guideAhead = Ahead(sequence, usesGuide, guidePrompt, cancellationToken);
                    baseLp = await step;
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
            if (BaseSession is { } b)
            {
                await baseModel!.CloseSessionAsync(b);
            }
            if (GuideSession is { } g)
            {
                await guideModel!.CloseSessionAsync(g);
            }
        }
    }

    // The guide's request for the next step, started now when the gate needs it whatever the base says.
    private Task<float[]>? Ahead(GuidedSequence sequence, bool usesGuide, int[] guidePrompt, CancellationToken cancellationToken) =>
        usesGuide && !sequence.IsFinished && (eager || sequence.NeedsGuideAhead() == true) ? ConsultGuideAsync(sequence, guidePrompt, cancellationToken) : null;

    private async Task<float[]> ConsultGuideAsync(GuidedSequence sequence, int[] guidePrompt, CancellationToken cancellationToken)
    {
        var model = guideModel ?? throw new InferenceException("an arm in this batch needs the guide model but no guide model was given.");
        var response = sequence.ResponseTokens;
        var unseen = response.Skip(_guideFed);
        var first = !GuidePromptFed;
        GuidePromptFed = true;
        GuideTokensFed += response.Count - _guideFed;
        _guideFed = response.Count;
        GuideConsultations++;
        var tokens = first ? [.. guidePrompt, .. unseen] : unseen.ToArray();
        GuideSession ??= await model.OpenSessionAsync(guidePrompt.Length + sequence.MaxNewTokens, cancellationToken);
        return await model.ForwardAsync(GuideSession.Value, tokens, cancellationToken);
    }
}
