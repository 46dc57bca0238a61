namespace EvalCluster.Inference.Models;

/// <summary>Element type of the model's floating tensors (past/present KV and logits).</summary>
public enum KvElementType
{
    Float32,
    Float16,
}
