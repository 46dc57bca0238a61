using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Models;

namespace EvalCluster.Inference.Calibration;

/// <summary>
/// The result of `calibrate`, referenced by runs: one (r, tau, lambda) entry per spike ratio from ONE pass of base
/// rollouts, the window and score they apply to, the exact models they came from, and the task and prompt template
/// they were made on (a calibration made on another task's prompts gives another rho).
/// </summary>
public sealed record CalibrationFile
{
    /// <summary>The file format this code writes and reads (1 was the single-r format without task).</summary>
    public const int CurrentFormat = 2;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public int Format { get; init; } = CurrentFormat;

    /// <summary>One entry per spike ratio, in increasing r.</summary>
    public required IReadOnlyList<CalibrationEntry> Entries { get; init; }

    public required int Window { get; init; }

    /// <summary>Short score name (ce, kl, js, ...; see <see cref="DivergenceScore"/>).</summary>
    public string Score { get; init; } = "ce";

    public required ModelIdentity Base { get; init; }

    public required ModelIdentity Guide { get; init; }

    /// <summary>The task whose prompt templates rendered the calibration problems (null: problems fed raw).</summary>
    public string? Task { get; init; }

    /// <summary>SHA-256 of that task's prompt templates (base, chat, few-shot examples).</summary>
    public string? PromptTemplateSha256 { get; init; }

    /// <summary>How many scores (generated tokens) and prompts the calibration saw.</summary>
    public int Tokens { get; init; }

    public int Prompts { get; init; }

    [JsonIgnore]
    public DivergenceKind ScoreKind => DivergenceScore.Parse(Score);

    /// <summary>The entry for spike ratio <paramref name="r"/>; null r: the only entry (several entries need an r).</summary>
    public CalibrationEntry Entry(double? r, string path)
    {
        var known = string.Join(", ", Entries.Select(e => e.R.ToString("R", CultureInfo.InvariantCulture)));
        if (r is null)
        {
            return Entries.Count == 1
                ? Entries[0]
                : throw new InferenceException($"{path}: the calibration holds r = {known}; pick one with guided@r=R (or -r R for a bare guided arm).");
        }
        return Entries.FirstOrDefault(e => Math.Abs(e.R - r.Value) <= 1e-9 * Math.Max(1, Math.Abs(r.Value)))
            ?? throw new InferenceException($"{path}: no calibration entry for r = {r.Value.ToString("R", CultureInfo.InvariantCulture)} (it holds r = {known}); "
                + $"run `evalcluster calibrate -r {known},{r.Value.ToString("R", CultureInfo.InvariantCulture)}` to add it.");
    }

    public void Write(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    public static CalibrationFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InferenceException($"{path}: calibration file not found; create it with the calibrate command.");
        }
        CalibrationFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CalibrationFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is null ? "" : $" at {ex.Path}";
            throw new InferenceException($"{path}: invalid calibration file{where} (line {ex.LineNumber + 1}): {ex.Message.Split('\n')[0]}; regenerate it with the calibrate command.", ex);
        }
        if (file is null)
        {
            throw new InferenceException($"{path}: empty calibration file; regenerate it with the calibrate command.");
        }
        return Validate(file, path);
    }

    /// <summary>Every value in its range: r in (0, 1), tau finite and >= 0 (scores are non-negative), lambda finite and >= 0, window >= 1.</summary>
    private static CalibrationFile Validate(CalibrationFile file, string path)
    {
        string Field(string field, int i) => $"{path}: field entries[{i}].{field}";
        var bad = file.Format != CurrentFormat ? $"{path}: field format: {file.Format} is not the supported format {CurrentFormat}; regenerate it with the calibrate command"
            : file.Window < 1 ? $"{path}: field window: must be >= 1 (got {file.Window}); regenerate it with calibrate --window W"
            : file.Entries.Count == 0 ? $"{path}: field entries is empty; regenerate it with calibrate -r R"
            : null;
        for (var i = 0; bad is null && i < file.Entries.Count; i++)
        {
            var e = file.Entries[i];
            bad = !(e.R > 0 && e.R < 1) ? $"{Field("r", i)}: {e.R} must lie strictly between 0 and 1"
                : !double.IsFinite(e.Tau) || e.Tau < 0 ? $"{Field("tau", i)}: {e.Tau} must be finite and >= 0 (disagreement scores are non-negative)"
                : !double.IsFinite(e.Lambda) || e.Lambda < 0 ? $"{Field("lambda", i)}: {e.Lambda} must be finite and >= 0"
                : file.Entries.Take(i).Any(o => o.R == e.R) ? $"{Field("r", i)}: r = {e.R} appears twice"
                : null;
        }
        if (bad is not null)
        {
            throw new InferenceException(bad + ".");
        }
        _ = DivergenceScore.Parse(file.Score);
        return file;
    }

    /// <summary>Throws unless the calibration came from exactly these models (a tau from other models means nothing).</summary>
    public void CheckModels(ModelIdentity baseModel, ModelIdentity guideModel, string path)
    {
        if (Base.Sha256 != baseModel.Sha256 || Guide.Sha256 != guideModel.Sha256)
        {
            throw new InferenceException($"{path}: calibrated for base '{Base.Name}' and guide '{Guide.Name}', not for '{baseModel.Name}' / '{guideModel.Name}' (model.onnx hashes differ); rerun calibrate for these models.");
        }
    }

    /// <summary>
    /// Null when the calibration was made on this task's prompts; else one line saying how it differs (a run warns
    /// with it, or refuses under --strict).
    /// </summary>
    public string? TaskMismatch(string task, string promptTemplateSha256, string path) =>
        Task is null ? $"{path}: the calibration was made on raw problems, not on task '{task}''s prompts; its rho on '{task}' may differ from r (recalibrate with --task {task})"
        : Task != task ? $"{path}: the calibration was made on task '{Task}', not '{task}'; its rho on '{task}' may differ from r (recalibrate with --task {task})"
        : PromptTemplateSha256 != promptTemplateSha256 ? $"{path}: task '{task}''s prompt template changed since the calibration; recalibrate with --task {task}"
        : null;
}

/// <summary>One spike ratio's gate thresholds: tau = quantile(S, 1 - r), lambda = mean(s | s &gt; tau) / mean(s).</summary>
public sealed record CalibrationEntry(double R, double Tau, double Lambda);

/// <summary>Which model a calibration came from: its folder name and the SHA-256 of its model.onnx.</summary>
public sealed record ModelIdentity(string Name, string Sha256)
{
    public static ModelIdentity Of(ModelFolder folder) => new(folder.Name, folder.WeightsSha256());
}
