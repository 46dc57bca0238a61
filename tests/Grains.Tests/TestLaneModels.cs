using EvalCluster.TestModels;

namespace EvalCluster.Grains.Tests;

/// <summary>A random-weight base (plain text), guide and reference (both ChatML) over one byte-level vocabulary.</summary>
public sealed class TestLaneModels : IDisposable
{
    public TestLaneModels()
    {
        BaseDir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 41, WeightScale: 2f), "base");
        GuideDir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 3, Seed: 42, WeightScale: 2f, ChatTemplate: true), "guide");
        ReferenceDir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 43, WeightScale: 2f, ChatTemplate: true), "reference");
    }

    public string BaseDir { get; }

    public string GuideDir { get; }

    public string ReferenceDir { get; }

    public void Dispose()
    {
        TryDelete(BaseDir);
        TryDelete(GuideDir);
        TryDelete(ReferenceDir);
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A model file may still be mapped by a silo that is shutting down; the temp folder is reclaimed later.
        }
    }
}
