using Microsoft.Extensions.Logging;

namespace EvalCluster.Coordinator.Logging;

/// <summary>The coordinator's log messages (source-generated): what a run decided and did, for `--verbose`.</summary>
internal static partial class CoordinatorLog
{
    [LoggerMessage(1, LogLevel.Information, "run {RunId}: {Generations} generations over {Tasks} task(s) and {Arms} arm(s); manifest {ManifestHash}")]
    public static partial void Planned(this ILogger logger, string runId, int generations, int tasks, int arms, string manifestHash);

    [LoggerMessage(2, LogLevel.Information, "run {RunId}: resuming {Path} with {Done} of {Total} results already recorded")]
    public static partial void Resuming(this ILogger logger, string runId, string path, int done, int total);

    [LoggerMessage(3, LogLevel.Information, "run {RunId}: every result is recorded; reprinting the table without starting a cluster")]
    public static partial void AlreadyFinished(this ILogger logger, string runId);

    [LoggerMessage(4, LogLevel.Information, "run {RunId}: --fresh deletes the existing run folder {Path}")]
    public static partial void Fresh(this ILogger logger, string runId, string path);

    [LoggerMessage(5, LogLevel.Information, "cluster {Cluster}: {Lanes} lane(s): {LaneNames}")]
    public static partial void ClusterReady(this ILogger logger, string cluster, int lanes, string laneNames);

    [LoggerMessage(6, LogLevel.Warning, "{Message}")]
    public static partial void CalibrationMismatch(this ILogger logger, string message);

    [LoggerMessage(7, LogLevel.Information, "calibration {Path}: r = {R}, tau = {Tau}, lambda = {Lambda}, window = {Window} for arm {Arm}")]
    public static partial void CalibrationEntry(this ILogger logger, string path, double r, double tau, double lambda, int window, string arm);

    [LoggerMessage(9, LogLevel.Warning, "{Message}")]
    public static partial void SampleFileProblem(this ILogger logger, string message);
}
