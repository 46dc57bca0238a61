using EvalCluster.Evaluation.Extraction;

namespace EvalCluster.Evaluation.Tasks;

/// <summary>
/// A benchmark declared as data (one YAML file in tasks/): its dataset, field mapping, prompts, generation
/// defaults, extraction pipeline and metrics. Versioned so a run can record exactly what it evaluated.
/// </summary>
public sealed record TaskDefinition
{
    public required string Name { get; init; }

    public string Version { get; init; } = "1";

    public string Description { get; init; } = "";

    /// <summary>The YAML file it was read from (empty when built in code).</summary>
    public string SourcePath { get; init; } = "";

    public required TaskDataset Dataset { get; init; }

    public TaskFieldMap Fields { get; init; } = new();

    public TaskPrompts Prompts { get; init; } = new();

    public TaskGeneration Generation { get; init; } = new();

    /// <summary>Extractor names tried in order (see <see cref="Extraction.AnswerExtractor"/>).</summary>
    public IReadOnlyList<string> Extraction { get; init; } = [.. AnswerExtractor.DefaultPipeline];

    public IReadOnlyList<string> Metrics { get; init; } = ["mean", "pass_at_k", "maj_at_k"];

    /// <summary>The plain-completion prompt a base model is fed (few-shot examples first, if any; options where {choices} stands).</summary>
    public string RenderBasePrompt(string problem, IReadOnlyList<string>? choices = null) => Prompts.RenderBase(problem, choices);

    /// <summary>The user message a reasoning model's chat template wraps.</summary>
    public string RenderChatMessage(string problem, IReadOnlyList<string>? choices = null) => Prompts.RenderChat(problem, choices);
}

/// <summary>The dataset of a task: a file name inside the data directory and its format.</summary>
public sealed record TaskDataset(string File, DatasetFormat Format);

/// <summary>Dataset file formats: JSONL (one object per line) and Parquet (Hugging Face datasets).</summary>
public enum DatasetFormat
{
    Jsonl,
    Parquet,
}

/// <summary>Generation defaults of a task; a run may override them (and records what it used).</summary>
public sealed record TaskGeneration
{
    public int MaxNewTokens { get; init; } = 4096;

    public IReadOnlyList<string> Stop { get; init; } = [];
}

/// <summary>Which dataset fields hold the id, problem, answer and the optional subject, level and choices.</summary>
public sealed record TaskFieldMap
{
    public string Id { get; init; } = "id";

    public string Problem { get; init; } = "problem";

    public string Answer { get; init; } = "answer";

    public string? Subject { get; init; }

    public string? Level { get; init; }

    public string? Choices { get; init; }
}
