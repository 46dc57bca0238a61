namespace EvalCluster.Silo.Options;

/// <summary>One lane of this silo (configuration "Silo:Lanes:N"): a device and the model folders it hosts.</summary>
public sealed class LaneOptions
{
    /// <summary>Unique within the silo; the lane id is "{silo name}/{Name}".</summary>
    public string Name { get; set; } = "";

    /// <summary><c>cpu</c> or <c>cuda:N</c>.</summary>
    public string Device { get; set; } = "cpu";

    public string Base { get; set; } = "";

    public string Guide { get; set; } = "";

    public string? Reference { get; set; }

    /// <summary>KV-cache bytes each model of the lane may hold for admitted sessions (worst case).</summary>
    public long KvBudgetBytes { get; set; } = 2L << 30;
}
