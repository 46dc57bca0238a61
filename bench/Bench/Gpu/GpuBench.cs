using System.Diagnostics;
using System.Globalization;
using EvalCluster.Bench.Inference;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;
using Microsoft.ML.OnnxRuntime;

namespace EvalCluster.Bench.Gpu;

/// <summary>
/// The GPU script's measurements (bench/gpu/run.sh sets the environment): writes random-weight float16 models with
/// the shapes of Qwen3-0.6B and Qwen3-8B (external data), then per model prints decode tokens/s at batch
/// 1/16/64/256, the step time at context 512/4,096/16,384, prefill tokens/s, and the memory bandwidth the step used
/// (bytes of weights + past KV read per step / step time) against the device's peak. <c>smoke</c> runs the same
/// code on tiny shapes and contexts (CPU, minutes). Configurations whose estimated device memory exceeds 80% of
/// EVALCLUSTER_GPU_MEMORY_GB are skipped and say so.
/// </summary>
public sealed class GpuBench : IBench
{
    private static readonly int[] Batches = [1, 16, 64, 256];

    public string Name => "gpu";

    public string Description => "GPU script (bench/gpu/run.sh): Qwen3-0.6B- and Qwen3-8B-shape float16 random-weight models, decode / context / prefill / bandwidth";

    private static readonly Stopwatch Clock = new();

    public void Run()
    {
        Clock.Restart();
        var total = Clock;
        var o = GpuBenchOptions.FromEnvironment();
        Console.WriteLine($"device {o.Device} ({o.GpuName}); peak memory bandwidth {(o.PeakGBs > 0 ? $"{o.PeakGBs:N0} GB/s" : "unknown")}; profile {o.Profile}; time budget {o.BudgetSeconds:F0} s; models in {o.ModelsDir}");
        Console.WriteLine();
        var models = o.Models().ToList();
        foreach (var (label, spec) in models)
        {
            RunModel(o, label, spec);
        }
        // Last: the engine's own device path (a failure there must not cost the graph's figures above).
        RunEngine(o, models);
        Console.WriteLine($"total {total.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>Decode through <see cref="OnnxCausalLm"/> (KV pool, masks, present and logits in the device's memory;
    /// Optimum graphs write new K/V with the in-place scatter run) beside the bare IOBinding loop of the same graph at
    /// the same batch and context: the engine's overhead on this device.</summary>
    private static void RunEngine(GpuBenchOptions o, List<(string Label, TestModelSpec Spec)> models)
    {
        const int steps = 16;
        Console.WriteLine($"### engine: OnnxCausalLm on {o.Device} beside the bare graph, decode at context {o.DecodeContext}; median of {steps} steps, median engine / bare of 3 rounds");
        Console.WriteLine();
        Console.WriteLine("| model | batch | engine ms/step | bare ms/step | engine / bare | engine tokens/s | host bytes/step (engine) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, spec) in models)
        {
            var dir = Path.Combine(o.ModelsDir, label);
            var kvPerToken = 2L * spec.Layers * spec.KvHeads * spec.HeadDim * 2;
            var weightBytes = QwenShapes.Parameters(spec) * 4;
            OnnxCausalLm? lm = null;
            GpuRig? rig = null;
            try
            {
                foreach (var batch in new[] { 1, 16, 64 })
                {
                    // Two sessions of the model are loaded here (engine and bare): count the weights twice.
                    if (Skip(o, spec, batch, 1, o.DecodeContext + 64, 2 * weightBytes, kvPerToken) is { } why)
                    {
                        Console.WriteLine($"| {label} | {batch} | skipped: {why} | | | | |");
                        continue;
                    }
                    var measured = TryTime(o, () =>
                    {
                        if (lm is null)
                        {
                            lm = OnnxCausalLm.Load(dir, new ExecutionOptions(o.Device));
                            EngineDecodeLoop.WarmUp(lm);
                        }
                        rig ??= new GpuRig(dir, o.Device, spec.Layers, spec.KvHeads, spec.HeadDim, spec.VocabSize);
                        var engine = new EngineDecodeLoop(lm, batch, o.DecodeContext);
                        try
                        {
                            var (e, b) = engine.CompareWithBare(middle => rig.MedianSeconds(batch, 1, middle, 2, steps) * 1e3, steps);
                            return $"| {label} | {batch} | {e:F2} | {b:F2} | {e / b:F2} | {batch * 1e3 / e:N0} | {engine.LastStepHostBytes:N0} |";
                        }
                        finally
                        {
                            engine.Close();
                        }
                    }, out var row, out var missed);
                    Console.WriteLine(measured ? row : $"| {label} | {batch} | {missed} | | | | |");
                }
            }
            finally
            {
                lm?.Dispose();
                rig?.Dispose();
            }
        }
        Console.WriteLine();
    }

    private static void RunModel(GpuBenchOptions o, string label, TestModelSpec spec)
    {
        var (dir, writeSeconds) = Ensure(o.ModelsDir, label, spec);
        var dataBytes = new FileInfo(Path.Combine(dir, "model.onnx.data")).Length;
        var load = Stopwatch.StartNew();
        GpuRig rig;
        try
        {
            rig = new GpuRig(dir, o.Device, spec.Layers, spec.KvHeads, spec.HeadDim, spec.VocabSize);
        }
        catch (OnnxRuntimeException ex)
        {
            GpuBenchOptions.Fail($"{dir}: no ONNX Runtime session on {o.Device}: {ex.Message.Split('\n')[0]} (CUDA needs the CUDA 13 and cuDNN 9 libraries on LD_LIBRARY_PATH; --cpu-smoke runs on the CPU)");
            return;
        }
        using var owned = rig;
        var parameters = QwenShapes.Parameters(spec);
        // The graph keeps float16 weights and casts them to float32; ONNX Runtime folds those casts at load, except
        // for outputs over its 1 GiB folding limit (the 8B embedding / output head), which are cast at every step
        // (read 2 bytes, write 4, then read 4). So a step reads at least this many bytes; KV is float16.
        var embedFp32 = 4L * spec.VocabSize * spec.Hidden;
        var unfolded = embedFp32 > (1L << 30);
        var weightBytes = parameters * 4 + (unfolded ? embedFp32 / 4 * 6 : 0);
        long kvPerToken = 2L * spec.Layers * spec.KvHeads * spec.HeadDim * 2;
        Console.WriteLine($"### {label}: {spec.Layers} layers, d_model {spec.Hidden}, {spec.Heads} q / {spec.KvHeads} KV heads x {spec.HeadDim}, MLP {spec.FfnDim}, vocab {spec.VocabSize:N0}; {parameters / 1e9:F3} B parameters");
        Console.WriteLine($"model.onnx.data {dataBytes / 1e9:F2} GB ({(writeSeconds < 0 ? "reused" : $"written in {writeSeconds:F0} s")}); session on {o.Device} loaded in {load.Elapsed.TotalSeconds:F1} s; KV {kvPerToken:N0} B/token");
        if (unfolded)
        {
            Console.WriteLine($"embedding {embedFp32 / 1e9:F2} GB as float32: over ONNX Runtime's 1 GiB constant-folding limit, so cast at every step (counted below)");
        }
        Console.WriteLine();
        Console.WriteLine("| step | batch | context | ms/step | tokens/s | GB read/step (weights fp32 + KV) | GB/s | % of peak |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var rows = Batches.Select(b => (Kind: "decode", Batch: b, Context: o.DecodeContext))
            .Concat(o.Contexts.SelectMany(c => new[] { 1, 16 }.Select(b => (Kind: "context", Batch: b, Context: c))));
        foreach (var (kind, batch, context) in rows)
        {
            if (Skip(o, spec, batch, 1, context, weightBytes, kvPerToken) is { } why)
            {
                Console.WriteLine($"| {kind} | {batch} | {context:N0} | skipped: {why} | | | | |");
                continue;
            }
            var runs = context >= 8192 ? o.Runs / 2 : o.Runs;
            if (!TryTime(o, () => rig.MedianSeconds(batch, 1, context, o.Warmup, Math.Max(3, runs)), out var seconds, out var missed))
            {
                Console.WriteLine($"| {kind} | {batch} | {context:N0} | {missed} | | | | |");
                continue;
            }
            var bytes = weightBytes + batch * context * kvPerToken;
            var gbs = bytes / seconds / 1e9;
            var peak = o.PeakGBs > 0 ? $"{100 * gbs / o.PeakGBs:F0}%" : "n/a";
            Console.WriteLine($"| {kind} | {batch} | {context:N0} | {seconds * 1e3:F2} | {batch / seconds:N0} | {bytes / 1e9:F3} | {gbs:N1} | {peak} |");
        }
        Console.WriteLine();
        Console.WriteLine("| prefill | batch | prompt tokens | ms | tokens/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var batch in new[] { 1, 4 })
        {
            if (Skip(o, spec, batch, o.PrefillTokens, 0, weightBytes, kvPerToken) is { } why)
            {
                Console.WriteLine($"| prefill | {batch} | {o.PrefillTokens:N0} | skipped: {why} | |");
                continue;
            }
            if (!TryTime(o, () => rig.MedianSeconds(batch, o.PrefillTokens, 0, 1, 3), out var seconds, out var missed))
            {
                Console.WriteLine($"| prefill | {batch} | {o.PrefillTokens:N0} | {missed} | |");
                continue;
            }
            Console.WriteLine($"| prefill | {batch} | {o.PrefillTokens:N0} | {seconds * 1e3:F1} | {batch * o.PrefillTokens / seconds:N0} |");
        }
        Console.WriteLine();
    }

    // Runs one measurement unless the time budget is spent; a failed run (out of device memory) is reported in its
    // row and the script goes on.
    // A measurement that fails on the device (out of memory, a kernel the provider lacks) is reported in its row.
    private static bool TryTime<T>(GpuBenchOptions o, Func<T> measure, out T value, out string missed)
    {
        value = default!;
        if (Clock.Elapsed.TotalSeconds > o.BudgetSeconds)
        {
            missed = $"skipped: time budget of {o.BudgetSeconds:F0} s spent";
            return false;
        }
        missed = "";
        try
        {
            value = measure();
            return true;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EvalCluster.Inference.InferenceException)
        {
            missed = $"failed: {ex.Message.Split('\n')[0].Replace('|', '/')}";
            return false;
        }
    }

    // Device memory a run needs, roughly: weights (float32 after folding), past + present KV, the largest layer's
    // float32 K/V copies (cast, concat, head expansion) and attention scores, and the logits.
    private static string? Skip(GpuBenchOptions o, TestModelSpec s, int batch, int tokens, int past, long weightBytes, long kvPerToken)
    {
        if (o.MemoryGB <= 0)
        {
            return null;
        }
        double total = past + tokens;
        var kv = batch * (2.0 * past + total) * kvPerToken;
        var layerKv = 6.0 * batch * s.Heads * total * s.HeadDim * 4;
        var scores = 3.0 * batch * s.Heads * tokens * total * 4;
        var logits = 6.0 * batch * tokens * s.VocabSize;
        var need = (weightBytes + kv + layerKv + scores + logits) / 1e9;
        return need > 0.8 * o.MemoryGB ? $"needs ~{need:F0} GB of {o.MemoryGB:F0} GB" : null;
    }

    // Writes the model unless the folder holds a complete one of the same spec (a stamp written last says so).
    private static (string Dir, double Seconds) Ensure(string root, string label, TestModelSpec spec)
    {
        var dir = Path.Combine(root, label);
        var stamp = Path.Combine(dir, "spec.txt");
        var expected = spec.ToString();
        if (File.Exists(stamp) && File.ReadAllText(stamp) == expected)
        {
            return (dir, -1);
        }
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        var sw = Stopwatch.StartNew();
        TestModelWriter.Write(dir, spec, externalData: true);
        File.WriteAllText(stamp, expected);
        return (dir, sw.Elapsed.TotalSeconds);
    }
}

/// <summary>The GPU script's settings, from the environment bench/gpu/run.sh fills in.</summary>
public sealed record GpuBenchOptions(
    string Device, string Profile, string ModelsDir, string GpuName, double PeakGBs, double MemoryGB,
    int Layers0_6B, int Layers8B, int DecodeContext, int[] Contexts, int PrefillTokens, int Warmup, int Runs, double BudgetSeconds)
{
    public static GpuBenchOptions FromEnvironment()
    {
        var profile = Env("EVALCLUSTER_GPU_PROFILE", "full");
        if (profile is not ("full" or "smoke"))
        {
            Fail($"EVALCLUSTER_GPU_PROFILE is '{profile}'; use full or smoke");
        }
        var smoke = profile == "smoke";
        var device = Env("EVALCLUSTER_GPU_DEVICE", smoke ? "cpu" : "cuda:0");
        if (device != "cpu" && !System.Text.RegularExpressions.Regex.IsMatch(device, "^cuda:[0-9]+$"))
        {
            Fail($"EVALCLUSTER_GPU_DEVICE is '{device}'; use cpu or cuda:N");
        }
        var name = Env("EVALCLUSTER_GPU_NAME", device == "cpu" ? "CPU" : "unknown GPU");
        var peak = Number("EVALCLUSTER_GPU_PEAK_GBS", PeakByName(name));
        return new GpuBenchOptions(
            device, profile,
            Env("EVALCLUSTER_GPU_MODELS", Path.Combine(Path.GetTempPath(), "evalcluster-gpu-models")),
            name, peak, Number("EVALCLUSTER_GPU_MEMORY_GB", 0),
            (int)Number("EVALCLUSTER_GPU_LAYERS_0_6B", smoke ? 2 : QwenShapes.Qwen3Layers0_6B),
            (int)Number("EVALCLUSTER_GPU_LAYERS_8B", smoke ? 2 : QwenShapes.Qwen3Layers8B),
            smoke ? 32 : 512, smoke ? [64, 256, 1024] : [512, 4096, 16384], smoke ? 128 : 2048,
            2, smoke ? 5 : 10, Number("EVALCLUSTER_GPU_BUDGET_S", smoke ? 100 : 420));
    }

    /// <summary>Peak memory bandwidth in GB/s by the name nvidia-smi prints (vendor datasheets); 0 when unknown.</summary>
    public static double PeakByName(string name) => name switch
    {
        _ when name.Contains("GH200", StringComparison.OrdinalIgnoreCase) => 4000,
        _ when name.Contains("H200", StringComparison.OrdinalIgnoreCase) => 4800,
        _ when name.Contains("H100 NVL", StringComparison.OrdinalIgnoreCase) => 3900,
        _ when name.Contains("H100 PCIe", StringComparison.OrdinalIgnoreCase) => 2000,
        _ when name.Contains("H100", StringComparison.OrdinalIgnoreCase) => 3350,
        _ when name.Contains("A100", StringComparison.OrdinalIgnoreCase) && name.Contains("80GB", StringComparison.OrdinalIgnoreCase) => 2039,
        _ when name.Contains("A100", StringComparison.OrdinalIgnoreCase) => 1555,
        _ when name.Contains("L40S", StringComparison.OrdinalIgnoreCase) => 864,
        _ => 0,
    };

    /// <summary>The models: the 0.6B shape in both graph formats and the 8B shape as an Optimum graph (writing the 8B
    /// twice would not fit the time budget); tiny stand-ins of the same family for the smoke profile.</summary>
    public IEnumerable<(string Label, TestModelSpec Spec)> Models()
    {
        if (Profile == "smoke")
        {
            var small = new TestModelSpec(Layers: Layers0_6B, Hidden: 128, Heads: 4, KvHeads: 2, HeadDim: 32, FfnDim: 384,
                VocabSize: 1024, Float16: true, MaxPositions: 4096);
            yield return ("qwen3-0.6b-smoke", small);
            yield return ("qwen3-0.6b-smoke-genai", small with { GenAi = true });
            yield return ("qwen3-8b-smoke", new TestModelSpec(Layers: Layers8B, Hidden: 256, Heads: 8, KvHeads: 2, HeadDim: 32, FfnDim: 768,
                VocabSize: 2048, Float16: true, MaxPositions: 4096));
            yield break;
        }
        yield return ("qwen3-0.6b", QwenShapes.Qwen3_0_6B(Layers0_6B));
        // The same weights as a GenAI model-builder graph (GroupQueryAttention, past and present in one buffer).
        yield return ("qwen3-0.6b-genai", QwenShapes.Qwen3_0_6B(Layers0_6B) with { GenAi = true });
        yield return ("qwen3-8b", QwenShapes.Qwen3_8B(Layers8B));
    }

    private static string Env(string key, string fallback) =>
        Environment.GetEnvironmentVariable(key) is { Length: > 0 } v ? v : fallback;

    private static double Number(string key, double fallback)
    {
        var text = Environment.GetEnvironmentVariable(key);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0)
        {
            Fail($"{key} is '{text}'; expected a non-negative number");
        }
        return v;
    }

    public static void Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Environment.Exit(2);
    }
}
