namespace EvalCluster.Evaluation.Data;

/// <summary>Where datasets live: --data-dir, else $EVALCLUSTER_DATA_DIR, else ./data.</summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "EVALCLUSTER_DATA_DIR";

    public const string Default = "data";

    public static string Resolve(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return option;
        }
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(env) ? Default : env;
    }
}
