namespace EvalCluster.Evaluation.Tests;

/// <summary>The shipped benchmark files and fresh temporary folders for the evaluation tests.</summary>
internal static class TestPaths
{
    public static string[] DatasetFiles { get; } =
        ["gsm8k_test.jsonl", "math500.jsonl", "aime24.jsonl", "aime25.jsonl", "amc23.jsonl", "minerva_math.jsonl", "olympiadbench.jsonl"];

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalcluster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
