using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EvalCluster.Inference.Models;

/// <summary>
/// Creates ONNX Runtime sessions on the requested device. CUDA is detected by trying to append its execution
/// provider (GetAvailableProviders lists it even where the CUDA libraries cannot load).
/// </summary>
internal static class SessionFactory
{
    public static (InferenceSession Session, string Device) Create(string onnxPath, ExecutionOptions execution, ILogger logger)
    {
        var (kind, index) = ParseDevice(execution.Device);
        if (execution.IntraOpThreads < 0 || execution.InterOpThreads < 0)
        {
            throw new InferenceException(
                $"thread counts must be 0 (ONNX Runtime's default) or positive; got intra-op {execution.IntraOpThreads}, inter-op {execution.InterOpThreads}");
        }
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (execution.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = execution.IntraOpThreads;
        }
        if (execution.InterOpThreads > 0)
        {
            options.InterOpNumThreads = execution.InterOpThreads;
        }
        var device = "cpu";
        if (kind == "auto" && CudaProbeFailure is { } known)
        {
            InferenceLog.CudaFallback(logger, known);
        }
        if (kind == "cuda" || (kind == "auto" && CudaProbeFailure is null))
        {
            try
            {
                AppendCuda(options, index, quiet: kind == "auto");
                device = $"cuda:{index}";
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                if (kind == "cuda")
                {
                    options.Dispose();
                    throw new InferenceException(
                        $"device cuda:{index} requested but the CUDA execution provider could not load ({FirstLine(ex.Message)}); install CUDA 13 and cuDNN 9, or use --device cpu", ex);
                }
                CudaProbeFailure ??= FirstLine(ex.Message);
                InferenceLog.CudaFallback(logger, FirstLine(ex.Message));
            }
        }
        try
        {
            return (new InferenceSession(onnxPath, options), device);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException($"{onnxPath}: ONNX Runtime could not load the model: {FirstLine(ex.Message)}", ex);
        }
        finally
        {
            options.Dispose();
        }
    }

    /// <summary>A session for one of the engine's own small graphs (<see cref="KvScatter"/>) on <paramref name="device"/>
    /// (<c>cpu</c> or <c>cuda:N</c>, as <see cref="Create"/> reported it for the model).</summary>
    public static InferenceSession CreateHelper(byte[] model, string device)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, IntraOpNumThreads = 1 };
        var (kind, index) = ParseDevice(device);
        if (kind == "cuda")
        {
            options.AppendExecutionProvider_CUDA(index);
        }
        return new InferenceSession(model, options);
    }

    // Set once CUDA failed to load, so `auto` does not retry (and re-log) for every model of the process.
    private static string? CudaProbeFailure { get; set; }

    // With `auto` a missing CUDA is expected: silence ONNX Runtime's own error log while trying it.
    private static void AppendCuda(SessionOptions options, int index, bool quiet)
    {
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        if (quiet)
        {
            env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        }
        try
        {
            options.AppendExecutionProvider_CUDA(index);
        }
        finally
        {
            if (quiet)
            {
                env.EnvLogLevel = level;
            }
        }
    }

    public static (string Kind, int Index) ParseDevice(string device)
    {
        var d = device.Trim().ToLowerInvariant();
        if (d is "cpu" or "auto")
        {
            return (d, 0);
        }
        if (d == "cuda")
        {
            return ("cuda", 0);
        }
        if (d.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(d.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var i))
        {
            return ("cuda", i);
        }
        throw new InferenceException($"device '{device}' is not understood; use cpu, cuda:N (e.g. cuda:0) or auto");
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
