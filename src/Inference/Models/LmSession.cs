namespace EvalCluster.Inference.Models;

/// <summary>State of one sequence in an <see cref="OnnxCausalLm"/>: the tokens fed so far and its KV pool slot
/// (-1 on the slow path; the slot may change when the pool compacts).</summary>
internal sealed class LmSession
{
    public List<int> Tokens { get; } = [];

    public int Slot { get; set; } = -1;
}
