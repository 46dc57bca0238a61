using EvalCluster.Contracts.Lanes;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalCluster.Grains.Models;

/// <summary>
/// Loads an ONNX model folder: the network on the lane's device and its tokenizer. The base model is fed its
/// rendered plain-completion prompt as is; the guide and reference wrap the chat message in their chat
/// template with thinking enabled (<see cref="PromptEncoding"/>).
/// Model loading logs through <paramref name="loggers"/> (category EvalCluster.Inference): the CUDA fallback
/// warning under <c>auto</c>, the no-KV slow path, and each loaded model's geometry.
/// </summary>
public sealed class OnnxModelLoader(int intraOpThreads = 0, ILoggerFactory? loggers = null) : IModelLoader
{
    private readonly ILogger _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("EvalCluster.Inference");

    public LoadedModel Load(string folder, string device, string role)
    {
        var text = TokenizerFolder.Load(folder);
        var lm = OnnxCausalLm.Load(folder, new ExecutionOptions(device, intraOpThreads), _logger);
        return new LoadedModel(lm, prompt => PromptEncoding.Encode(text, role, prompt), ids => text.Tokenizer.Decode(ids),
            text.EosTokenIds.ToHashSet());
    }
}
