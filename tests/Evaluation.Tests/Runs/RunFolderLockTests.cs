using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Tests.Runs;

public sealed class RunFolderLockTests
{
    [Fact]
    public void A_second_writer_of_the_same_run_folder_is_refused_until_the_first_is_disposed()
    {
        var dir = TestPaths.NewTempDir();
        var manifest = RunFolderTests.Manifest();
        using (var first = RunFolder.CreateOrResume(dir, manifest))
        {
            var ex = Assert.Throws<EvaluationException>(() => RunFolder.CreateOrResume(dir, manifest));
            Assert.Contains("another process is writing this run", ex.Message);
            first.Append(RunFolderTests.Sample("p1", 0, "base", true));
        }

        using var resumed = RunFolder.CreateOrResume(dir, manifest);
        Assert.Single(resumed.ReadSamples());
    }
}
