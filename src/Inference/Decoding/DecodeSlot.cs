namespace EvalCluster.Inference.Decoding;

/// <summary>The decoder's bookkeeping for one sequence: its sessions, latest log-probabilities and guide progress.</summary>
internal sealed class DecodeSlot(DecodeRequest request)
{
    public DecodeRequest Request { get; } = request;

    public GuidedSequence Sequence => Request.Sequence;

    public int? BaseSession { get; set; }

    public int? GuideSession { get; set; }

    public float[]? BaseLogProbs { get; set; }

    public float[]? GuideLogProbs { get; set; }

    /// <summary>Response tokens the guide's KV cache holds.</summary>
    public int GuideFed { get; set; }

    public int GuideConsultations { get; set; }

    public int GuideTokensFed { get; set; }

    public IReadOnlyList<int> BaseContext { get; set; } = [];

    public IReadOnlyList<int> GuideContext { get; set; } = [];
}
