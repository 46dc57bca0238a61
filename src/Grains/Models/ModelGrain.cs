using System.Diagnostics;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Models;
using EvalCluster.Grains.Lanes;
using EvalCluster.Grains.Metrics;
using EvalCluster.Grains.Placement;
using EvalCluster.Inference;
using Microsoft.Extensions.Options;

namespace EvalCluster.Grains.Models;

/// <summary>
/// One model of one lane: loads it on activation and hands sessions and forward requests to a
/// <see cref="ForwardBatcher"/> that coalesces them on the model's own thread and admits them by the KV memory
/// they hold within the lane's budget (each model its own budget, so a generation holding a base session always
/// gets its guide session). Reentrant so that
/// many generation grains' requests are pending at once (that is what makes batches).
/// </summary>
[LanePlacement, Reentrant]
internal sealed class ModelGrain(
    LaneCatalog lanes,
    IModelLoader loader,
    IOptions<BatchingOptions> options,
    ClusterInstruments instruments) : Grain, IModelGrain
{
    private readonly ModelSessions _sessions = new();
    private LoadedModel _model = null!;
    private ForwardBatcher _batcher = null!;
    private long _budgetBytes;
    private TagList _tags;
    private string _folder = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var laneId = LaneKeys.LaneOf(key);
        var lane = lanes.Get(laneId);
        _folder = lanes.ModelFolder(laneId, LaneKeys.RoleOf(key));
        // Loading reads and initialises the network: keep it off the Orleans scheduler.
        _model = await Task.Run(() => loader.Load(_folder, lane.Device, LaneKeys.RoleOf(key)), cancellationToken);
        _tags = ClusterInstruments.ModelTags(_model.Lm.Name, laneId);
        var o = options.Value;
        _budgetBytes = lane.KvBudgetBytes;
        var tags = _tags;
        // Each model's gauges exist from activation (at 0), so a dashboard shows "nothing waiting" rather than no data.
        instruments.Waiting.Add(0, tags);
        instruments.KvBytes.Add(0, tags);
        instruments.Preemptions.Add(0, tags);
        var kv = new KvLimits(_budgetBytes)
        {
            BytesChanged = delta => instruments.KvBytes.Add(delta, tags),
            WaitingChanged = delta => instruments.Waiting.Add(delta, tags),
            Preempted = () => instruments.Preemptions.Add(1, tags),
        };
        _batcher = new ForwardBatcher(_model.Lm, o.BatchSizeFor(lane.Device), TimeSpan.FromMilliseconds(o.MaxWaitMs),
            size => instruments.BatchSize.Record(size, tags), o.MaxTokensPerStep, kv);
        var period = o.IdleSessionTimeout / 2;
        this.RegisterGrainTimer(EvictIdleAsync, new GrainTimerCreationOptions(period, period) { Interleave = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        foreach (var session in _sessions.All)
        {
            await CloseSessionAsync(session);
        }
        _batcher?.Dispose();
    }

    public Task<ModelInfo> GetInfoAsync() =>
        Task.FromResult(new ModelInfo(_model.Lm.Name, _model.Lm.VocabSize, _model.Lm.KvBytesPerToken, _folder, [.. _model.EosIds], lanes.SiloName));

    public async Task<int> OpenSessionAsync(int maxTokens, CancellationToken cancellationToken)
    {
        // Admission happens per step on the model thread (by the bytes actually held); only a session that could
        // never fit is refused here, at once.
        if (maxTokens > _model.Lm.MaxContext)
        {
            throw new InferenceException(
                $"model {_model.Lm.Name}: a session of {maxTokens} tokens (prompt + max new tokens) does not fit its context of {_model.Lm.MaxContext} tokens (max_position_embeddings)");
        }
        var bytes = (long)maxTokens * _model.Lm.KvBytesPerToken;
        if (bytes > _budgetBytes)
        {
            throw new InferenceException(
                $"model {_model.Lm.Name}: a session of {maxTokens} tokens needs {bytes} KV bytes but the lane's whole KvBudgetBytes is {_budgetBytes}; raise Silo:Lanes:N:KvBudgetBytes or lower --max-new-tokens");
        }
        var session = await _batcher.OpenSessionAsync(maxTokens);
        _sessions.Add(session);
        return session;
    }

    public async Task<LogProbs> ForwardAsync(int session, Immutable<int[]> tokens, CancellationToken cancellationToken)
    {
        if (!_sessions.Touch(session))
        {
            throw new ArgumentException($"model {_model.Lm.Name}: session {session} is not open (closed or evicted after {options.Value.IdleSessionTimeout} idle).");
        }
        var result = await _batcher.ForwardAsync(session, tokens.Value, cancellationToken);
        return new LogProbs(result.Last);
    }

    public Task CloseSessionAsync(int session)
    {
        if (_sessions.Remove(session))
        {
            // The close reaches the model thread behind the queued passes; the caller does not wait for it (a long
            // queue must never count against a call's timeout). The memory returns once the cache is really freed.
            _ = _batcher.CloseSessionAsync(session);
        }
        return Task.CompletedTask;
    }

    public Task<Immutable<int[]>> EncodePromptAsync(string userMessage) =>
        Task.FromResult(new Immutable<int[]>(_model.EncodePrompt(userMessage)));

    public Task<string> DecodeAsync(Immutable<int[]> tokens) => Task.FromResult(_model.Decode(tokens.Value));

    private async Task EvictIdleAsync(CancellationToken cancellationToken)
    {
        foreach (var session in _sessions.IdleSince(DateTime.UtcNow - options.Value.IdleSessionTimeout))
        {
            await CloseSessionAsync(session);
        }
    }
}
