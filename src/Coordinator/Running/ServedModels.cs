using EvalCluster.Contracts.Lanes;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// What a cluster's lanes actually serve, per role: in cluster mode the manifest and the calibration check use
/// these (name and weights hash reported by each lane), not the coordinator's local --base/--guide. Lanes serving
/// different weights for the same role would mix two models' results in one run, so they are refused.
/// </summary>
public sealed class ServedModels
{
    private readonly Dictionary<string, ModelFileInfo> _byRole;

    private ServedModels(Dictionary<string, ModelFileInfo> byRole) => _byRole = byRole;

    /// <summary>The model every lane serves in a role; null when no lane has one (e.g. no reference model).</summary>
    public ModelFileInfo? Get(string role) => _byRole.GetValueOrDefault(role);

    public static ServedModels From(IReadOnlyList<LaneInfo> lanes)
    {
        var byRole = new Dictionary<string, ModelFileInfo>();
        foreach (var role in lanes.SelectMany(l => l.Models.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var serving = lanes.Where(l => l.Models.ContainsKey(role)).ToList();
            var groups = serving.GroupBy(l => l.Weights.GetValueOrDefault(role, "")).ToList();
            if (groups.Count > 1)
            {
                var detail = string.Join("; ", groups.Select(g => $"{string.Join(", ", g.Select(l => l.LaneId))}: {Name(g.First().Models[role])} weights {Short(g.Key)}"));
                throw new ArgumentException($"the lanes serve different {role} models ({detail}); give every lane the same {role} model, or run on lanes that match.");
            }
            var folder = serving[0].Models[role];
            byRole[role] = new ModelFileInfo { Role = role, Name = Name(folder), Path = folder, Sha256 = groups[0].Key };
        }
        return new ServedModels(byRole);
    }

    private static string Name(string folder) => Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
