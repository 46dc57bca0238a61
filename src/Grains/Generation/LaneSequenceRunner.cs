using EvalCluster.Contracts.Models;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Grains.Generation;

/// <summary>
/// Drives one <see cref="GuidedSequence"/> against a lane's base and guide model grains exactly as the
/// single-process DualModelDecoder does in lazy mode: the base is prefilled and fed every chosen token; the
/// guide is consulted only when the gate needs it, catching up its prompt (first time) and every unseen
/// response token in one request. Sessions are closed whatever happens.
/// </summary>
internal sealed class LaneSequenceRunner(IModelGrain baseModel, IModelGrain guideModel)
{
    public int GuideConsultations { get; private set; }

    public int GuideTokensFed { get; private set; }

    public async Task RunAsync(GuidedSequence sequence, int[] basePrompt, int[] guidePrompt,
        Action<TokenDecision> onToken, CancellationToken cancellationToken)
    {
        var usesBase = sequence.Models.HasFlag(ArmModels.Base);
        var usesGuide = sequence.Models.HasFlag(ArmModels.Guide);
        int? baseSession = null, guideSession = null;
        try
        {
            float[]? baseLp = null;
            if (usesBase && !sequence.IsFinished)
            {
                baseSession = await baseModel.OpenSessionAsync(basePrompt.Length + sequence.MaxNewTokens, cancellationToken);
                baseLp = (await baseModel.ForwardAsync(baseSession.Value, new(basePrompt), cancellationToken)).Values;
            }
            var guideFed = 0;
            while (!sequence.IsFinished)
            {
                float[]? guideLp = null;
                if (usesGuide && sequence.NeedsGuide(baseLp))
                {
                    var response = sequence.ResponseTokens;
                    var unseen = response.Skip(guideFed);
                    if (guideSession is null)
                    {
                        guideSession = await guideModel.OpenSessionAsync(guidePrompt.Length + sequence.MaxNewTokens, cancellationToken);
                        unseen = guidePrompt.Concat(unseen);
                    }
                    GuideTokensFed += response.Count - guideFed;
                    guideFed = response.Count;
                    GuideConsultations++;
                    guideLp = (await guideModel.ForwardAsync(guideSession.Value, new([.. unseen]), cancellationToken)).Values;
                }
                var decision = sequence.Step(baseLp, guideLp);
                onToken(decision);
                if (!decision.Finished && usesBase)
                {
                    baseLp = (await baseModel.ForwardAsync(baseSession!.Value, new([decision.Token]), cancellationToken)).Values;
                }
            }
        }
        finally
        {
            if (baseSession is { } b)
            {
                await baseModel.CloseSessionAsync(b);
            }
            if (guideSession is { } g)
            {
                await guideModel.CloseSessionAsync(g);
            }
        }
    }
}
