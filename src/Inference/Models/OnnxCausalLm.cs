using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace EvalCluster.Inference.Models;

/// <summary>
/// <see cref="ICausalLm"/> over an ONNX Runtime session of a Hugging Face / Optimum decoder export. With a KV
/// cache, one Forward call runs every request in one batch: pasts are left-padded to the longest, new tokens
/// right-aligned, and the attention mask marks the holes, so sequences of different lengths share a run.
/// Without KV inputs (input_ids -> logits) each step re-feeds the whole sequence (slow path).
/// </summary>
public sealed class OnnxCausalLm : ICausalLm
{
    private readonly InferenceSession _session;
    private readonly Dictionary<int, LmSession> _sessions = [];
    private readonly BatchRunner _runner;
    private int _nextId = 1;

    private OnnxCausalLm(string name, InferenceSession session, ModelSignature signature, string device)
    {
        Name = name;
        _session = session;
        Signature = signature;
        Device = device;
        _runner = new BatchRunner(session, signature);
    }

    public string Name { get; }

    public string Device { get; }

    public ModelSignature Signature { get; }

    public int VocabSize => Signature.VocabSize;

    public long KvBytesPerToken => Signature.KvBytesPerToken;

    /// <summary>
    /// Loads <c>model.onnx</c> and <c>config.json</c> from a model folder and checks they agree. A path to a bare
    /// <c>.onnx</c> file also works; its sibling config.json is used when present.
    /// </summary>
    public static OnnxCausalLm Load(string modelDir, ExecutionOptions? execution = null, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        string onnx;
        ModelConfig config;
        if (File.Exists(modelDir) && modelDir.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            onnx = modelDir;
            var sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(onnx))!, "config.json");
            config = File.Exists(sibling) ? ModelConfig.Load(sibling) : new ModelConfig("unknown", null, null, null, null, null, null, []);
        }
        else
        {
            onnx = ModelFolder.RequireOnnx(modelDir);
            config = ModelConfig.Load(Path.Combine(modelDir, "config.json"));
        }
        var (session, device) = SessionFactory.Create(onnx, execution ?? new ExecutionOptions(), logger);
        try
        {
            var signature = SignatureReader.Read(session, config, onnx);
            var name = File.Exists(modelDir)
                ? Path.GetFileNameWithoutExtension(modelDir)
                : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir)));
            InferenceLog.Loaded(logger, name, device, signature.Layers, signature.KvHeads, signature.HeadDim, signature.VocabSize, signature.KvType);
            if (!signature.HasKvCache)
            {
                InferenceLog.SlowPath(logger, name);
            }
            return new OnnxCausalLm(name, session, signature, device);
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
        _sessions[id] = new LmSession(Signature);
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
            batch.Add((s, r));
        }
        try
        {
            return Signature.HasKvCache ? _runner.RunCached(batch) : _runner.RunFull(batch);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException($"model {Name}: ONNX Runtime failed during a forward pass: {ex.Message.Split('\n')[0]}", ex);
        }
    }

    public IReadOnlyList<int> SessionTokens(int session) => Get(session).Tokens;

    public long KvBytes(int session) => Get(session).Tokens.Count * KvBytesPerToken;

    public void CloseSession(int session) => _sessions.Remove(session);

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
