using EvalCluster.Inference.Models;

namespace EvalCluster.Inference.Decoding;

/// <summary>
/// Decodes many <see cref="GuidedSequence"/>s over a base and a guide <see cref="ICausalLm"/> in one process with the
/// same <see cref="SequenceLoop"/> the cluster runs: every sequence's loop runs until it waits on a forward pass, then
/// ONE batched forward per model serves every waiting request (<see cref="BatchedModel"/>), and so on until all are
/// finished. The loops run on the calling thread, one at a time, so the schedule is deterministic. Either model may be
/// null when no arm in the batch needs it.
/// </summary>
/// <param name="decode">Token ids to text, for sequences with stop strings (their decoded tail is checked after every step).</param>
public sealed class DualModelDecoder(ICausalLm? baseModel, ICausalLm? guideModel, GuideMode mode = GuideMode.Lazy, Func<int[], string>? decode = null)
{
    public DecodeResult Decode(IReadOnlyList<DecodeRequest> requests)
    {
        var baseBatch = new BatchedModel(baseModel, decode);
        var guideBatch = new BatchedModel(guideModel, decode);
        var loops = requests.Select(_ => new SequenceLoop(baseModel is null ? null : baseBatch, guideModel is null ? null : guideBatch,
            mode == GuideMode.Eager)).ToList();
        var previous = SynchronizationContext.Current;
        // Continuations must run inline when a batch completes (no context to post them to): that is what makes
        // "every loop is waiting" true whenever control returns here.
        SynchronizationContext.SetSynchronizationContext(null);
        List<Task> running;
        try
        {
            running = [.. requests.Select((r, i) => loops[i].RunAsync(r.Sequence, [.. r.BasePrompt], [.. r.GuidePrompt]))];
            while (baseBatch.Flush() || guideBatch.Flush())
            {
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (running.FirstOrDefault(t => t.IsFaulted) is { } failed)
        {
            failed.GetAwaiter().GetResult();
        }
        if (running.Any(t => !t.IsCompleted))
        {
            throw new InvalidOperationException("a decode loop waits on something no batch serves; this is a bug in DualModelDecoder.");
        }
        var results = requests.Select((r, i) =>
        {
            var (s, loop) = (r.Sequence, loops[i]);
            return new SequenceResult(s.ResponseTokens.ToArray(), s.FinishReason!.Value, s.Trace.ToArray(), s.Takeovers, s.Rho,
                loop.GuideConsultations, loop.GuideTokensFed,
                baseBatch.Context(loop.BaseSession, r.BasePrompt.Count), guideBatch.Context(loop.GuideSession, r.GuidePrompt.Count));
        }).ToList();
        var counters = new DecoderCounters(baseBatch.Calls, guideBatch.Calls, requests.Sum(r => (long)r.Sequence.ResponseTokens.Count),
            loops.Sum(l => (long)l.GuideConsultations), loops.Sum(l => (long)l.GuideTokensFed),
            requests.Where((_, i) => loops[i].GuidePromptFed).Sum(r => (long)r.GuidePrompt.Count));
        return new DecodeResult(results, counters);
    }

    /// <summary>
    /// An <see cref="ICausalLm"/> as an <see cref="IDecodeModel"/> whose forwards wait until <see cref="Flush"/> runs them
    /// all in one batched pass. Records each closed session's tokens (the tests check what each KV cache held).
    /// </summary>
    private sealed class BatchedModel(ICausalLm? model, Func<int[], string>? decode) : IDecodeModel
    {
        private readonly List<(ForwardRequest Request, TaskCompletionSource<float[]> Done)> _pending = [];
        private readonly Dictionary<int, IReadOnlyList<int>> _closed = [];

        public int Calls { get; private set; }

        public Task<int> OpenSessionAsync(int capacity, CancellationToken cancellationToken) => Task.FromResult(Model.OpenSession());

        public Task<float[]> ForwardAsync(int session, int[] tokens, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource<float[]>();
            _pending.Add((new ForwardRequest(session, tokens), done));
            return done.Task;
        }

        public Task CloseSessionAsync(int session)
        {
            _closed[session] = Model.SessionTokens(session).ToArray();
            Model.CloseSession(session);
            return Task.CompletedTask;
        }

        public Task<string> DecodeAsync(int[] tokens) =>
            Task.FromResult((decode ?? throw new InferenceException("a sequence has stop strings but the decoder was given no token decoder.")).Invoke(tokens));

        /// <summary>The response tokens a closed session held (its prompt skipped); empty when there was none.</summary>
        public IReadOnlyList<int> Context(int? session, int promptLength) =>
            session is { } s && _closed.TryGetValue(s, out var tokens) ? [.. tokens.Skip(promptLength)] : [];

        /// <summary>Runs every waiting request in one forward pass; false when none waits.</summary>
        public bool Flush()
        {
            if (_pending.Count == 0)
            {
                return false;
            }
            var batch = _pending.ToList();
            _pending.Clear();
            Calls++;
            IReadOnlyList<ForwardResult> results;
            try
            {
                results = Model.Forward([.. batch.Select(b => b.Request)]);
            }
            catch (Exception ex)
            {
                batch.ForEach(b => b.Done.SetException(ex));
                return true;
            }
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.SetResult(results[i].Last);
            }
            return true;
        }

        private ICausalLm Model => model ?? throw new InferenceException("an arm in this batch needs a model that was not given.");
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
