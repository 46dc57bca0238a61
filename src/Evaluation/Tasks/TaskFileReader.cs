using EvalCluster.Evaluation.Extraction;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EvalCluster.Evaluation.Tasks;

/// <summary>Parses and validates one task YAML file; every problem is reported as one line naming file, line and field.</summary>
public static class TaskFileReader
{
    private static readonly IDeserializer s_yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    private static readonly string[] s_metrics = ["mean", "pass_at_k", "maj_at_k"];

    /// <summary>Longest stop string: the decode loop decodes a tail of about this many tokens after each step.</summary>
    public const int MaxStopLength = 64;

    public static TaskDefinition Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationException($"{path}: task file not found; check the name with `evalcluster ls tasks`.");
        }
        TaskFileDto dto;
        try
        {
            dto = s_yaml.Deserialize<TaskFileDto>(File.ReadAllText(path))
                ?? throw new EvaluationException($"{path}: the task file is empty; declare at least name and dataset.file.");
        }
        catch (YamlException ex)
        {
            var reason = (ex.InnerException?.Message ?? ex.Message).Split('\n')[0];
            throw new EvaluationException($"{path}: line {ex.Start.Line}: {reason}; valid keys are name, version, description, dataset, fields, prompt, generation, extraction, metrics.", ex);
        }
        return Validate(path, dto);
    }

    private static TaskDefinition Validate(string path, TaskFileDto dto)
    {
        var name = Require(path, "name", dto.Name);
        var file = Require(path, "dataset.file", dto.Dataset?.File);
        if (Path.IsPathRooted(file) || file.Replace('\\', '/').Split('/').Aggregate(0, (depth, part) => depth < 0 ? depth : part == ".." ? depth - 1 : part is "" or "." ? depth : depth + 1) < 0)
        {
            throw new EvaluationException($"{path}: field dataset.file: '{file}' leads outside the data directory; name a file inside it (e.g. {Path.GetFileName(file)}).");
        }
        var format = ParseFormat(path, dto.Dataset?.Format, file);
        var defaults = new TaskPrompts();
        var prompts = new TaskPrompts
        {
            Base = dto.Prompt?.Base ?? defaults.Base,
            Chat = dto.Prompt?.Chat ?? defaults.Chat,
            FewShot = (dto.Prompt?.FewShot ?? []).Select((s, i) => new FewShotExample(
                Require(path, $"prompt.few_shot[{i}].problem", s.Problem),
                Require(path, $"prompt.few_shot[{i}].solution", s.Solution))).ToList(),
        };
        foreach (var (field, template) in new[] { ("prompt.base", prompts.Base), ("prompt.chat", prompts.Chat) })
        {
            if (!template.Contains(TaskPrompts.Placeholder, StringComparison.Ordinal))
            {
                throw new EvaluationException($"{path}: field {field}: the template has no {{problem}} placeholder; add {{problem}} where the question goes.");
            }
            // A multiple-choice task must show its options; a template must not promise options the task does not map.
            var hasChoices = template.Contains(TaskPrompts.ChoicesPlaceholder, StringComparison.Ordinal);
            if (dto.Fields?.Choices is not null && !hasChoices)
            {
                throw new EvaluationException($"{path}: field {field}: fields.choices is set but the template has no {{choices}} placeholder; add {{choices}} where the lettered options go.");
            }
            if (dto.Fields?.Choices is null && hasChoices)
            {
                throw new EvaluationException($"{path}: field {field}: the template has a {{choices}} placeholder but fields.choices is not set; map the dataset's list of options with fields.choices.");
            }
        }
        var generation = new TaskGeneration
        {
            MaxNewTokens = dto.Generation?.MaxNewTokens ?? 4096,
            Stop = dto.Generation?.Stop ?? [],
        };
        if (generation.MaxNewTokens <= 0)
        {
            throw new EvaluationException($"{path}: field generation.max_new_tokens: {generation.MaxNewTokens} is not positive; use e.g. 4096.");
        }
        for (var i = 0; i < generation.Stop.Count; i++)
        {
            if (string.IsNullOrEmpty(generation.Stop[i]) || generation.Stop[i].Length > MaxStopLength)
            {
                throw new EvaluationException($"{path}: field generation.stop[{i}]: a stop string must have 1..{MaxStopLength} characters; fix or remove it.");
            }
        }
        var extraction = dto.Extraction ?? [.. AnswerExtractor.DefaultPipeline];
        CheckNames(path, "extraction", extraction, AnswerExtractor.Names);
        var metrics = dto.Metrics ?? [.. s_metrics];
        CheckNames(path, "metrics", metrics, s_metrics);
        var fields = dto.Fields;
        return new TaskDefinition
        {
            Name = name,
            Version = dto.Version ?? "1",
            Description = dto.Description ?? "",
            SourcePath = path,
            Dataset = new TaskDataset(file, format),
            Fields = new TaskFieldMap
            {
                Id = fields?.Id ?? "id",
                Problem = fields?.Problem ?? "problem",
                Answer = fields?.Answer ?? "answer",
                Subject = fields?.Subject,
                Level = fields?.Level,
                Choices = fields?.Choices,
            },
            Prompts = prompts,
            Generation = generation,
            Extraction = extraction,
            Metrics = metrics,
        };
    }

    private static string Require(string path, string field, string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new EvaluationException($"{path}: field {field} is missing; add it to the task file.")
            : value;

    private static DatasetFormat ParseFormat(string path, string? format, string file) => (format ?? InferFormat(file)).ToLowerInvariant() switch
    {
        "jsonl" => DatasetFormat.Jsonl,
        "parquet" => DatasetFormat.Parquet,
        var other => throw new EvaluationException($"{path}: field dataset.format: '{other}' is not supported; use jsonl or parquet."),
    };

    private static string InferFormat(string file) => file.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "parquet" : "jsonl";

    private static void CheckNames(string path, string field, IEnumerable<string> names, IReadOnlyCollection<string> known)
    {
        foreach (var n in names.Where(n => !known.Contains(n)))
        {
            throw new EvaluationException($"{path}: field {field}: unknown name '{n}'{Suggest.DidYouMean(n, known)}; known: {string.Join(", ", known)}.");
        }
    }
}
