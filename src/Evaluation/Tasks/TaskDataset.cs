namespace EvalCluster.Evaluation.Tasks;

/// <summary>The dataset of a task: a file name inside the data directory and its format.</summary>
public sealed record TaskDataset(string File, DatasetFormat Format);
