using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace EvalCluster.Inference.Models;

/// <summary>
/// <see cref="ICausalLm"/> over an ONNX Runtime session of a Hugging Face / Optimum decoder export. With a KV
/// cache the sessions' K/V stay in a resident pool (<see cref="KvPool"/>) and one Forward call runs all decode
/// steps in one pass over the pool, fresh prefills in another, continuations per session (<see cref="BatchRunner"/>).
/// A GenAI model-builder folder (GroupQueryAttention, shared past/present) uses the same pool as one buffer for
/// both past and present, so nothing is copied back. Without KV inputs (input_ids -> logits) each step re-feeds
/// the whole sequence (slow path).
/// </summary>
public sealed class OnnxCausalLm : ICausalLm
{
    private readonly InferenceSession _session;
    private readonly Dictionary<int, LmSession> _sessions = [];
    private readonly BatchRunner _runner;
    private int _nextId = 1;

    /// <summary>Context limit used when config.json has no max_position_embeddings.</summary>
    public const int DefaultMaxContext = 32_768;

    private OnnxCausalLm(string name, InferenceSession session, ModelSignature signature, string device, int maxContext, bool scatterOnHost)
    {
        Name = name;
        MaxContext = maxContext;
        _session = session;
        Signature = signature;
        Device = device;
        _runner = new BatchRunner(session, signature, KvMemory.For(device), maxContext, scatterOnHost);
    }

    public string Name { get; }

    public string Device { get; }

    public ModelSignature Signature { get; }

    public int VocabSize => Signature.VocabSize;

    public long KvBytesPerToken => Signature.KvBytesPerToken;

    public int MaxContext { get; }

    /// <summary>Host bytes moved by forward passes so far (inputs written, new K/V copied into the pool, logits read).</summary>
    public long HostBytes => _runner.HostBytes;

    /// <summary>Bytes copied so far to grow, shrink or compact the KV pool (on open, close and growth only).</summary>
    public long KvRelayoutBytes => _runner.RelayoutBytes;

    /// <summary>KV bytes the resident pool holds allocated now.</summary>
    public long KvAllocatedBytes => _runner.AllocatedKvBytes;

    /// <summary>Batched decode steps, those whose slot range changed, bindings created (once per slot range and pool
    /// layout, then reused), decode-output memory allocated (once per pool layout), and the pool's layouts so far.</summary>
    internal (int Steps, int RangeChanges, int Bindings, int Allocations, long PoolLayouts) DecodeCounters =>
        (_runner.DecodeSteps, _runner.DecodeRangeChanges, _runner.DecodeBindings, _runner.DecodeAllocations, _runner.PoolGeneration);

    /// <summary>
    /// Loads <c>model.onnx</c> and <c>config.json</c> from a model folder and checks they agree. A path to a bare
    /// <c>.onnx</c> file also works; its sibling config.json is used when present.
    /// </summary>
    public static OnnxCausalLm Load(string modelDir, ExecutionOptions? execution = null, ILogger? logger = null) =>
        Load(modelDir, execution, logger, scatterOnHost: false);

    /// <param name="scatterOnHost">Write decode steps' new K/V with the device path's in-place scatter run (<see cref="KvScatter"/>)
    /// on the CPU as well, so tests run here the code a GPU runs.</param>
    internal static OnnxCausalLm Load(string modelDir, ExecutionOptions? execution, ILogger? logger, bool scatterOnHost)
    {
        logger ??= NullLogger.Instance;
        string onnx;
        ModelConfig config;
        GenAiConfig? genai = null;
        if (File.Exists(modelDir) && modelDir.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            onnx = modelDir;
            var sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(onnx))!, "config.json");
            config = File.Exists(sibling) ? ModelConfig.Load(sibling) : new ModelConfig("unknown", null, null, null, null, null, null, []);
        }
        else
        {
            onnx = ModelFolder.RequireOnnx(modelDir);
            var genaiPath = Path.Combine(modelDir, GenAiConfig.FileName);
            genai = File.Exists(genaiPath) ? GenAiConfig.Load(genaiPath) : null;
            var hf = Path.Combine(modelDir, "config.json");
            config = genai is null || File.Exists(hf) ? ModelConfig.Load(hf) : genai.ToModelConfig();
        }
        var (session, device) = SessionFactory.Create(onnx, execution ?? new ExecutionOptions(), logger);
        try
        {
            var signature = SignatureReader.Read(session, config, onnx, genai);
            var name = File.Exists(modelDir)
                ? Path.GetFileNameWithoutExtension(modelDir)
                : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir)));
            InferenceLog.Loaded(logger, name, device, signature.Layers, signature.KvHeads, signature.HeadDim, signature.VocabSize, signature.KvType);
            if (!signature.HasKvCache)
            {
                InferenceLog.SlowPath(logger, name);
            }
            if (signature.SharedBuffer && signature.KvType == KvElementType.Float32 && device.StartsWith("cuda", StringComparison.Ordinal))
            {
                InferenceLog.GqaFloat32OnCuda(logger, name, device);
            }
            if (config.MaxPositionEmbeddings is <= 0)
            {
                throw new InferenceException($"{onnx}: config.json max_position_embeddings must be positive, found {config.MaxPositionEmbeddings}");
            }
            var context = genai is not null ? Math.Min(genai.ContextLength, config.MaxPositionEmbeddings ?? int.MaxValue) : config.MaxPositionEmbeddings ?? DefaultMaxContext;
            return new OnnxCausalLm(name, session, signature, device, context, scatterOnHost);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public int OpenSession()
    {
        var id = _nextId++;
        var session = new LmSession();
        _runner.Open(session);
        _sessions[id] = session;
        return id;
    }

    public IReadOnlyList<ForwardResult> Forward(IReadOnlyList<ForwardRequest> requests)
    {
        if (requests.Count == 0)
        {
            return [];
        }
        var seen = new HashSet<int>();
        var batch = new List<(LmSession Session, ForwardRequest Request)>(requests.Count);
        foreach (var r in requests)
        {
            if (!_sessions.TryGetValue(r.Session, out var s))
            {
                throw new ArgumentException($"session {r.Session} of model {Name} is not open");
            }
            if (!seen.Add(r.Session))
            {
                throw new ArgumentException($"session {r.Session} appears twice in one forward call");
            }
            if (r.Tokens.IsEmpty)
            {
                throw new ArgumentException($"forward request for session {r.Session} has no tokens");
            }
            foreach (var t in r.Tokens.Span)
            {
                if ((uint)t >= (uint)VocabSize)
                {
                    throw new ArgumentException($"token id {t} is outside the vocabulary of {Name} (size {VocabSize})");
                }
            }
            if (s.Tokens.Count + r.Tokens.Length > MaxContext)
            {
                throw new InferenceException(
                    $"model {Name}: {s.Tokens.Count} tokens in context + {r.Tokens.Length} new = {s.Tokens.Count + r.Tokens.Length} tokens exceed its context of {MaxContext} (max_position_embeddings)");
            }
            batch.Add((s, r));
        }
        try
        {
            return !Signature.HasKvCache ? _runner.RunFull(batch)
                : Signature.SharedBuffer ? _runner.RunShared(batch, _sessions.Values.Max(x => x.Tokens.Count) + 1)
                : _runner.RunCached(batch);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException($"model {Name}: ONNX Runtime failed during a forward pass: {ex.Message.Split('\n')[0]}", ex);
        }
    }

    public IReadOnlyList<int> SessionTokens(int session) => Get(session).Tokens;

    public long KvBytes(int session) => Get(session).Tokens.Count * KvBytesPerToken;

    public void CloseSession(int session)
    {
        if (_sessions.Remove(session, out var s))
        {
            _runner.Close(s);
        }
    }

    public void Dispose()
    {
        _sessions.Clear();
        _runner.Dispose();
        _session.Dispose();
    }

    private LmSession Get(int session) => _sessions.TryGetValue(session, out var s)
        ? s
        : throw new ArgumentException($"session {session} of model {Name} is not open");
}
