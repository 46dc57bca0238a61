using EvalCluster.Inference.Models;

namespace EvalCluster.Inference.Calibration;

/// <summary>Which model a calibration came from: its folder name and the SHA-256 of its model.onnx.</summary>
public sealed record ModelIdentity(string Name, string Sha256)
{
    public static ModelIdentity Of(ModelFolder folder) => new(folder.Name, folder.WeightsSha256());
}
