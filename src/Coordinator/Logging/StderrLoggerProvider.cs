using Microsoft.Extensions.Logging;

namespace EvalCluster.Coordinator.Logging;

/// <summary>
/// The coordinator's console log: one line per message on stderr ("warning: ..."), written synchronously so it
/// never interleaves with the progress display's lines; quiet (warnings and errors) unless `--verbose`.
/// </summary>
internal sealed class StderrLoggerProvider(LogLevel minimum) : ILoggerProvider
{
    public static ILoggerFactory CreateFactory(bool verbose) =>
        LoggerFactory.Create(b => b.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddProvider(new StderrLoggerProvider(verbose ? LogLevel.Debug : LogLevel.Warning)));

    public ILogger CreateLogger(string categoryName) => new StderrLogger(minimum);

    public void Dispose()
    {
    }

    private sealed class StderrLogger(LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var level = logLevel switch
            {
                LogLevel.Warning => "warning",
                LogLevel.Error or LogLevel.Critical => "error",
                _ => "info",
            };
            Console.Error.WriteLine($"{level}: {formatter(state, exception)}");
        }
    }
}
