using EvalCluster.Inference.Models;

namespace EvalCluster.Grains.Models;

/// <summary>Work items of a <see cref="ForwardBatcher"/>'s queue, run on its model thread.</summary>
internal abstract class BatchWork
{
    /// <summary>Runs a control call; forwards run only as part of a planned step (<see cref="RunStep"/>).</summary>
    public virtual void Run()
    {
    }

    public abstract class Typed<T> : BatchWork
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One control call (open, close, tokenizer ...), run alone in arrival order.</summary>
    public sealed class Call<T>(Func<T> body) : Typed<T>
    {
        public override void Run()
        {
            try
            {
                Completion.TrySetResult(body());
            }
            catch (Exception ex)
            {
                Completion.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// One session's forward request. A long one is fed in chunks over several steps (<see cref="Done"/> tokens
    /// so far); the caller's task completes with the log-probabilities after its last chunk.
    /// </summary>
    public sealed class Forward(int session, ReadOnlyMemory<int> tokens) : Typed<ForwardResult>
    {
        public int Session { get; } = session;

        public ReadOnlyMemory<int> Tokens { get; } = tokens;

        public int Done { get; private set; }

        public int Remaining => Tokens.Length - Done;

        public bool IsCancelled => Completion.Task.IsCompleted;

        public ForwardRequest Piece(int engineSession, int count) => new(engineSession, Tokens.Slice(Done, count));

        public void Advance(int count, ForwardResult result)
        {
            Done += count;
            if (Remaining == 0)
            {
                Completion.TrySetResult(result);
            }
        }
    }

    /// <summary>Runs one planned step: the pieces of distinct sessions (mapped to the engine's sessions) in one <see cref="ICausalLm.Forward"/> call.</summary>
    public static void RunStep(ICausalLm model, IReadOnlyList<(Forward Work, int Count)> step, Func<int, int> engineOf, Action<int> onBatch)
    {
        try
        {
            var results = model.Forward([.. step.Select(p => p.Work.Piece(engineOf(p.Work.Session), p.Count))]);
            onBatch(step.Count);
            for (var i = 0; i < step.Count; i++)
            {
                step[i].Work.Advance(step[i].Count, results[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var (work, _) in step)
            {
                work.Completion.TrySetException(ex);
            }
        }
    }
}
