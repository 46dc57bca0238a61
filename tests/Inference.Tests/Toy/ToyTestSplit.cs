using System.Text.Json;

namespace EvalCluster.Inference.Tests.Toy;

/// <summary>Reads the shipped toy-plan test split (data/toy-plan.jsonl).</summary>
internal static class ToyTestSplit
{
    public static IReadOnlyList<(string Problem, string Answer)> Load()
    {
        var path = Path.Combine(RepoPaths.Root, "data", "toy-plan.jsonl");
        return [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return (doc.RootElement.GetProperty("problem").GetString()!, doc.RootElement.GetProperty("answer").GetString()!);
        })];
    }

    public static double Accuracy(IReadOnlyList<(string Problem, string Answer)> split, IReadOnlyList<(string Text, List<float> Top1)> outputs)
    {
        return split.Zip(outputs).Average(x => x.Second.Text.EndsWith($"\\boxed{{{x.First.Answer}}}", StringComparison.Ordinal) ? 1.0 : 0.0);
    }
}
