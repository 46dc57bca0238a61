using EvalCluster.Contracts.Runs;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Running;

/// <summary>Maps between the cluster's result messages and the run folder's sample records.</summary>
public static class SampleRecords
{
    public static SampleKey ToKey(ResultKey key) => new(key.Task, key.ProblemId, key.Sample, key.Arm);

    public static SampleRecord ToRecord(string runId, SampleResult r) => new()
    {
        RunId = runId,
        Task = r.Key.Task,
        ProblemId = r.Key.ProblemId,
        Sample = r.Key.Sample,
        Arm = r.Key.Arm,
        Prompt = r.Prompt,
        GuidePrompt = r.GuidePrompt,
        Response = r.Response,
        Extracted = r.Extracted,
        Gold = r.Gold,
        Correct = r.Correct,
        Truncated = r.Truncated,
        PromptTokens = r.PromptTokens,
        ResponseTokens = r.ResponseTokens,
        Takeovers = r.Takeovers,
        Rho = r.Rho,
        GuideForwardPasses = r.GuideForwardPasses,
        Subject = r.Subject,
        Level = r.Level,
        Seed = r.Seed,
    };

    public static SampleResult ToResult(SampleRecord r) => new()
    {
        Key = new ResultKey(r.Task, r.ProblemId, r.Sample, r.Arm),
        Prompt = r.Prompt,
        GuidePrompt = r.GuidePrompt ?? "",
        Response = r.Response,
        Extracted = r.Extracted,
        Gold = r.Gold,
        Correct = r.Correct,
        Truncated = r.Truncated,
        PromptTokens = r.PromptTokens,
        ResponseTokens = r.ResponseTokens,
        Takeovers = r.Takeovers,
        Rho = r.Rho,
        GuideForwardPasses = r.GuideForwardPasses,
        Subject = r.Subject,
        Level = r.Level,
        Seed = r.Seed,
    };
}
