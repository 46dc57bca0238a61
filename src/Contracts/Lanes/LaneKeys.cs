using EvalCluster.Contracts.Runs;

namespace EvalCluster.Contracts.Lanes;

/// <summary>
/// Grain keys that carry their lane: a lane id is <c>"{siloName}/{laneName}"</c>, and every lane-placed grain
/// key starts with the lane id followed by <c>'|'</c>. Placement reads the silo name from the key.
/// </summary>
public static class LaneKeys
{
    public const char LaneSeparator = '/';
    public const char KeySeparator = '|';

    public static string LaneId(string siloName, string laneName) => $"{siloName}{LaneSeparator}{laneName}";

    public static string Model(string laneId, string role) => $"{laneId}{KeySeparator}{role}";

    public static string Generation(string laneId, string runId, ResultKey key) =>
        $"{laneId}{KeySeparator}{runId}{KeySeparator}{key}";

    /// <summary>The silo name a lane-placed grain key names (everything before the first '/' or '|').</summary>
    public static string SiloName(string grainKey)
    {
        var end = grainKey.IndexOfAny([LaneSeparator, KeySeparator]);
        return end < 0 ? grainKey : grainKey[..end];
    }

    /// <summary>The lane id a lane-placed grain key starts with.</summary>
    public static string LaneOf(string grainKey)
    {
        var end = grainKey.IndexOf(KeySeparator);
        return end < 0 ? grainKey : grainKey[..end];
    }

    /// <summary>The role of a model grain key (after the last '|').</summary>
    public static string RoleOf(string modelKey) => modelKey[(modelKey.LastIndexOf(KeySeparator) + 1)..];
}
