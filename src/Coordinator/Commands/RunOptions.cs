using System.Globalization;
using System.Text.RegularExpressions;

namespace EvalCluster.Coordinator.Commands;

/// <summary>
/// Range checks of the `run` options, made before anything starts or any folder is created: one line naming
/// the option, the value given and how to fix it (null when every option is valid).
/// </summary>
internal static partial class RunOptions
{
    public const int MaxInFlightLimit = 4096;

    public const float MaxTemperature = 100f;

    public static string? Check(RunCommand.Settings s) =>
        s.Samples < 1 ? Bad("--samples", s.Samples, "must be at least 1 (samples per problem and arm), e.g. --samples 4")
        : s.K is < 1 || s.K > s.Samples ? Bad("-k", s.K, $"must lie in 1..--samples ({s.Samples}); raise --samples or lower -k")
        : s.Limit is < 1 ? Bad("--limit", s.Limit, "must be at least 1 (first N problems); leave it out to run every problem")
        : !float.IsFinite(s.Temperature) || s.Temperature < 0 || s.Temperature > MaxTemperature
            ? Bad("--temperature", s.Temperature, $"must lie in 0..{MaxTemperature} (0 = greedy), e.g. --temperature 0.6")
        : !float.IsFinite(s.TopP) || s.TopP <= 0 || s.TopP > 1 ? Bad("--top-p", s.TopP, "must satisfy 0 < P <= 1, e.g. --top-p 0.95")
        : s.MaxNewTokens is < 1 ? Bad("--max-new-tokens", s.MaxNewTokens, "must be at least 1; leave it out to use the task's limit")
        : s.R is { } r && (!double.IsFinite(r) || r <= 0 || r >= 1) ? Bad("-r", r, "must lie strictly between 0 and 1, e.g. -r 0.04")
        : s.Cap is < 0 ? Bad("--cap", s.Cap, "must be at least 0 (takeovers per response)")
        : s.MaxInFlight is < 0 or > MaxInFlightLimit ? Bad("--max-in-flight", s.MaxInFlight, $"must lie in 0..{MaxInFlightLimit} (generations in flight per lane; 0: the lane's batch size)")
        : s.RunId is { } id && !RunIdPattern().IsMatch(id) ? Bad("--run-id", id, "use letters, digits, '-', '_' and '.' only (it names a folder under --out), e.g. --run-id sweep-1")
        : s.Fresh && s.Resume ? "--fresh and --resume contradict each other; pass one of them"
        : s.Tasks.FirstOrDefault(string.IsNullOrWhiteSpace) is not null ? "--task: empty task name; list the tasks with `evalcluster ls tasks`"
        : s.Out.Trim().Length == 0 ? "--out: empty folder name; pass e.g. --out runs"
        : null;

    private static string Bad(string option, object? value, string rule) =>
        string.Create(CultureInfo.InvariantCulture, $"{option} {value}: {rule}.");

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$")]
    private static partial Regex RunIdPattern();
}
