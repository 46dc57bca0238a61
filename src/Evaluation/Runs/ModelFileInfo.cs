namespace EvalCluster.Evaluation.Runs;

/// <summary>A model used by a run: its role (base, guide, reference), name, path and file hash.</summary>
public sealed record ModelFileInfo
{
    public required string Role { get; init; }

    public required string Name { get; init; }

    public string Path { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the weights: model.onnx and its external data file, as calibrations record them.</summary>
    public string Sha256 { get; init; } = "";
}
