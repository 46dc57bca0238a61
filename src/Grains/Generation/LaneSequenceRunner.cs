using EvalCluster.Contracts.Models;
using EvalCluster.Inference.Decoding;

namespace EvalCluster.Grains.Generation;

/// <summary>
/// Runs one <see cref="GuidedSequence"/> against a lane's base and guide model grains with the same
/// <see cref="SequenceLoop"/> the single-process <see cref="DualModelDecoder"/> runs; the grains supply the async
/// forward (each model grain batches the requests of every generation on its lane).
/// </summary>
internal sealed class LaneSequenceRunner(IModelGrain baseModel, IModelGrain guideModel)
{
    private readonly SequenceLoop _loop = new(new GrainModel(baseModel), new GrainModel(guideModel));

    public int GuideConsultations => _loop.GuideConsultations;

    public int GuideTokensFed => _loop.GuideTokensFed;

    public Task RunAsync(GuidedSequence sequence, int[] basePrompt, int[] guidePrompt,
        Action<TokenDecision> onToken, CancellationToken cancellationToken) =>
        _loop.RunAsync(sequence, basePrompt, guidePrompt, onToken, cancellationToken);

    private sealed class GrainModel(IModelGrain grain) : IDecodeModel
    {
        public Task<int> OpenSessionAsync(int capacity, CancellationToken cancellationToken) => grain.OpenSessionAsync(capacity, cancellationToken);

        public async Task<float[]> ForwardAsync(int session, int[] tokens, CancellationToken cancellationToken) =>
            (await grain.ForwardAsync(session, new(tokens), cancellationToken)).Values;

        public Task CloseSessionAsync(int session) => grain.CloseSessionAsync(session);

        public Task<string> DecodeAsync(int[] tokens) => grain.DecodeAsync(new(tokens));
    }
}
