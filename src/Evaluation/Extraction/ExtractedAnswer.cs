namespace EvalCluster.Evaluation.Extraction;

/// <summary>An extracted final answer and the name of the extractor that found it.</summary>
public sealed record ExtractedAnswer(string Answer, string Extractor);
