namespace EvalCluster.Evaluation.Tasks;

/// <summary>Dataset file formats: JSONL (one object per line) and Parquet (Hugging Face datasets).</summary>
public enum DatasetFormat
{
    Jsonl,
    Parquet,
}
