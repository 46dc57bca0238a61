using System.Security.Cryptography;
using EvalCluster.Inference.Tokenization;
using Microsoft.Extensions.Logging;

namespace EvalCluster.Inference.Models;

/// <summary>
/// A Hugging Face / Optimum export folder (config.json, model.onnx, tokenizer.json, tokenizer_config.json,
/// optional generation_config.json), or an ONNX Runtime GenAI model-builder folder (genai_config.json naming the
/// decoder file, tokenizer files; config.json optional): opens the model and its tokenizer together and identifies the weights
/// by the SHA-256 of model.onnx for manifests.
/// </summary>
public sealed class ModelFolder
{
    private string? _hash;

    private ModelFolder(string path, TokenizerBundle tokenizer)
    {
        Path = path;
        Tokenizer = tokenizer;
    }

    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(Path));

    public TokenizerBundle Tokenizer { get; }

    /// <summary>Checks the folder's files and loads its tokenizer (the ONNX session opens in <see cref="OpenModel"/>).</summary>
    public static ModelFolder Open(string dir)
    {
        RequireOnnx(dir);
        var full = System.IO.Path.GetFullPath(dir);
        return new ModelFolder(full, TokenizerFolder.Load(full));
    }

    /// <summary>The folder's model.onnx path; a missing folder or file gets the one error both loaders give.</summary>
    internal static string RequireOnnx(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new InferenceException($"model folder {dir} does not exist; pass a folder with config.json, model.onnx and tokenizer.json");
        }
        var genai = System.IO.Path.Combine(dir, GenAiConfig.FileName);
        if (File.Exists(genai))
        {
            var file = System.IO.Path.Combine(dir, GenAiConfig.Load(genai).Filename);
            return File.Exists(file) ? file : throw new InferenceException($"{file}: not found; genai_config.json model.decoder.filename names it");
        }
        var onnx = System.IO.Path.Combine(dir, "model.onnx");
        if (!File.Exists(onnx))
        {
            throw new InferenceException($"{onnx}: model.onnx not found; export the model with Optimum (decoder with past) into this folder");
        }
        return onnx;
    }

    public OnnxCausalLm OpenModel(ExecutionOptions? execution = null, ILogger? logger = null) =>
        OnnxCausalLm.Load(Path, execution, logger);

    /// <summary>Lower-case hex SHA-256 of model.onnx (and of its external data file when there is one).</summary>
    public string WeightsSha256() => _hash ??= HashWeights(Path);

    /// <summary>
    /// SHA-256 over model.onnx (or the decoder genai_config.json names) and its external data file, without loading anything else: the identity of the
    /// weights for manifests and calibrations (Optimum exports keep the weights in the external file).
    /// </summary>
    public static string HashWeights(string dir)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var genai = System.IO.Path.Combine(dir, GenAiConfig.FileName);
        var onnx = File.Exists(genai) ? GenAiConfig.Load(genai).Filename : "model.onnx";
        foreach (var file in new[] { onnx, onnx + "_data", onnx + ".data" })
        {
            var p = System.IO.Path.Combine(dir, file);
            if (File.Exists(p))
            {
                using var stream = File.OpenRead(p);
                var buffer = new byte[1 << 20];
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                }
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
