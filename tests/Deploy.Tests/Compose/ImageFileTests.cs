using System.Text.RegularExpressions;

namespace EvalCluster.Deploy.Tests.Compose;

/// <summary>
/// What can be checked of the Dockerfiles without a Docker engine: every COPY source exists and survives
/// .dockerignore, the final stage runs as a non-root user, the silo checks /health, models are never copied in.
/// </summary>
public sealed partial class ImageFileTests
{
    public static TheoryData<string> Dockerfiles => new() { "Dockerfile.silo", "Dockerfile.coordinator" };

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_copied_path_exists_and_is_not_ignored_and_models_stay_out(string dockerfile)
    {
        var ignored = File.ReadAllLines(RepoPaths.File(".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Trim('/').Replace("**/", "")).ToList();
        var sources = CopyFromContext().Matches(File.ReadAllText(RepoPaths.File("deploy", "docker", dockerfile)))
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var path = RepoPaths.File(source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{dockerfile}: COPY {source} does not exist");
            Assert.DoesNotContain(source.Trim('/').Split('/')[0], ignored);
            Assert.NotEqual("models", source.Trim('/').Split('/')[0]);
        }
        Assert.Contains("models", ignored);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void The_final_stage_builds_from_the_sdk_and_runs_as_a_non_root_user(string dockerfile)
    {
        var lines = File.ReadAllLines(RepoPaths.File("deploy", "docker", dockerfile));
        Assert.Contains(lines, l => l.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal) && l.EndsWith(" AS build", StringComparison.Ordinal));
        var lastUser = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("USER root", lastUser);
        Assert.True(lines.ToList().IndexOf(lastUser) > lines.ToList().FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_silo_image_checks_health_and_has_a_cuda_13_and_a_cpu_variant()
    {
        var text = File.ReadAllText(RepoPaths.File("deploy", "docker", "Dockerfile.silo"));
        Assert.Matches(@"HEALTHCHECK [^\n]*\\\n\s+CMD curl -fsS http://127\.0\.0\.1:9464/health", text);
        Assert.Matches(@"ARG CUDA_IMAGE=nvidia/cuda:13\.\d+\.\d+-cudnn-runtime-", text);
        Assert.Contains("FROM runtime-${VARIANT} AS final", text);
        Assert.Contains("AS runtime-cpu", text);
        Assert.Contains("AS runtime-cuda", text);
    }

    // COPY lines that read the build context (not --from=another stage); the last word is the destination.
    [GeneratedRegex(@"^COPY (?!--from)((?:\S+ )+)\S+$", RegexOptions.Multiline)]
    private static partial Regex CopyFromContext();
}
