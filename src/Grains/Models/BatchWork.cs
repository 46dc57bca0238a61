using EvalCluster.Inference.Models;

namespace EvalCluster.Grains.Models;

/// <summary>Work items of a <see cref="ForwardBatcher"/>'s queue, run on its model thread.</summary>
internal abstract class BatchWork
{
    public abstract void Run(ICausalLm model, Action<int> onBatch);

    public abstract class Typed<T> : BatchWork
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One control call (open, close, tokenizer ...).</summary>
    public sealed class Call<T>(Func<T> body) : Typed<T>
    {
        public override void Run(ICausalLm model, Action<int> onBatch)
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

    /// <summary>One session's forward request; it runs only as part of a <see cref="Batch"/>.</summary>
    public sealed class Forward(ForwardRequest request) : Typed<ForwardResult>
    {
        public ForwardRequest Request { get; } = request;

        public override void Run(ICausalLm model, Action<int> onBatch) => new Batch([this]).Run(model, onBatch);
    }

    /// <summary>Forward requests of distinct sessions run as one batched pass.</summary>
    public sealed class Batch(List<Forward> items) : BatchWork
    {
        public override void Run(ICausalLm model, Action<int> onBatch)
        {
            // A request cancelled while queued is dropped before it touches the KV cache.
            var live = items.Where(i => !i.Completion.Task.IsCompleted).ToList();
            if (live.Count == 0)
            {
                return;
            }
            try
            {
                var results = model.Forward(live.Select(i => i.Request).ToList());
                onBatch(live.Count);
                for (var i = 0; i < live.Count; i++)
                {
                    live[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                live.ForEach(i => i.Completion.TrySetException(ex));
            }
        }
    }
}
