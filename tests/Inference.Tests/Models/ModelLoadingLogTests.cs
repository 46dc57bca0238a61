using EvalCluster.Inference.Models;
using Microsoft.Extensions.Logging;

namespace EvalCluster.Inference.Tests.Models;

/// <summary>Model loading says what a user must know: a graph without KV inputs re-feeds every token (slow path),
/// and <c>--device auto</c> on a machine without CUDA runs on the CPU; both as warnings, on every load.</summary>
public sealed class ModelLoadingLogTests(TestModelFixture models) : IClassFixture<TestModelFixture>
{
    [Fact]
    public void A_model_without_kv_inputs_is_logged_as_the_slow_path()
    {
        var log = new CapturingLogger();
        using var lm = OnnxCausalLm.Load(Path.Combine(RepoPaths.Shared, "models", "stories260K", "stories260K.onnx"), ExecutionOptions.Cpu, log);

        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("has no KV cache inputs"));
    }

    [Fact]
    public void Device_auto_without_cuda_warns_on_every_load_and_a_model_with_kv_does_not_mention_the_slow_path()
    {
        var log = new CapturingLogger();
        using var first = OnnxCausalLm.Load(models.Float32, new ExecutionOptions("auto"), log);
        using var second = OnnxCausalLm.Load(models.Float32, new ExecutionOptions("auto"), log);

        var fallbacks = log.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("falls back to CPU"));
        // On a machine where CUDA loads, auto picks it and there is nothing to warn about.
        Assert.Equal(first.Device == "cpu" ? 2 : 0, fallbacks);
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("slow path"));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("Loaded"));
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
