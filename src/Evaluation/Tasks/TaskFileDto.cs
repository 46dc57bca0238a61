namespace EvalCluster.Evaluation.Tasks;

/// <summary>The YAML shape of a task file (snake_case keys); validated into a <see cref="TaskDefinition"/>.</summary>
internal sealed class TaskFileDto
{
    public string? Name { get; set; }

    public string? Version { get; set; }

    public string? Description { get; set; }

    public DatasetDto? Dataset { get; set; }

    public FieldsDto? Fields { get; set; }

    public PromptDto? Prompt { get; set; }

    public GenerationDto? Generation { get; set; }

    public List<string>? Extraction { get; set; }

    public List<string>? Metrics { get; set; }

    internal sealed class DatasetDto
    {
        public string? File { get; set; }

        public string? Format { get; set; }
    }

    internal sealed class FieldsDto
    {
        public string? Id { get; set; }

        public string? Problem { get; set; }

        public string? Answer { get; set; }

        public string? Subject { get; set; }

        public string? Level { get; set; }

        public string? Choices { get; set; }
    }

    internal sealed class PromptDto
    {
        public string? Base { get; set; }

        public string? Chat { get; set; }

        public List<FewShotDto>? FewShot { get; set; }
    }

    internal sealed class FewShotDto
    {
        public string? Problem { get; set; }

        public string? Solution { get; set; }
    }

    internal sealed class GenerationDto
    {
        public int? MaxNewTokens { get; set; }

        public List<string>? Stop { get; set; }
    }
}
