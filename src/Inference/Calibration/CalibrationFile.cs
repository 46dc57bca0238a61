using System.Text.Json;
using System.Text.Json.Serialization;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Calibration;

/// <summary>
/// The result of `calibrate`, referenced by runs: tau and lambda for the spike ratio r, the window and score
/// they apply to, and the exact models they came from.
/// </summary>
public sealed record CalibrationFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public required double Tau { get; init; }

    public required double Lambda { get; init; }

    public required double R { get; init; }

    public required int Window { get; init; }

    /// <summary>Short score name (ce, kl, js, ...; see <see cref="DivergenceScore"/>).</summary>
    public string Score { get; init; } = "ce";

    public required ModelIdentity Base { get; init; }

    public required ModelIdentity Guide { get; init; }

    /// <summary>How many scores (generated tokens) and prompts the calibration saw.</summary>
    public int Tokens { get; init; }

    public int Prompts { get; init; }

    [JsonIgnore]
    public DivergenceKind ScoreKind => DivergenceScore.Parse(Score);

    public void Write(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
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
        _ = DivergenceScore.Parse(file.Score);
        if (file.Window < 1)
        {
            throw new InferenceException($"{path}: field \"window\" must be >= 1 (got {file.Window}).");
        }
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
}
