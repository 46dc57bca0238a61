using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using EvalCluster.Inference.Tokenization;
using Spectre.Console.Cli;
using Spectre.Console;

namespace EvalCluster.Coordinator.Commands;

/// <summary>
/// `tokenize`: reads JSONL lines {"text": ...} from a file or stdin and writes {"text": ..., "ids": [...]} per
/// line, so people can see exactly which ids a prompt becomes.
/// </summary>
public sealed class TokenizeCommand : Command<TokenizeCommand.Settings>
{
    private static readonly JsonSerializerOptions OutputOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[FILE]")]
        [Description("JSONL file with one {\"text\": ...} object per line; stdin when omitted or \"-\".")]
        public string? File { get; init; }

        [CommandOption("--model <DIR>")]
        [Description("Model folder holding tokenizer.json.")]
        public string? Model { get; init; }

        [CommandOption("--tokenizer <FILE>")]
        [Description("A tokenizer.json file.")]
        public string? Tokenizer { get; init; }

        public override ValidationResult Validate() => (Model is null) == (Tokenizer is null)
            ? ValidationResult.Error("tokenize: pass exactly one of --model DIR or --tokenizer FILE")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var tokenizer = settings.Model is not null
            ? TokenizerFolder.Load(settings.Model).Tokenizer
            : HfTokenizer.Load(settings.Tokenizer!);
        if (settings.File is null or "-")
        {
            Tokenize(tokenizer, Console.In, "<stdin>", Console.Out, cancellationToken);
        }
        else
        {
            // A bare FileNotFoundException says only "Could not find file"; name what the file should hold.
            if (!System.IO.File.Exists(settings.File))
            {
                throw new FileNotFoundException($"{settings.File}: file not found; pass a JSONL file of {{\"text\": ...}} lines, or omit it to read stdin.");
            }
            using var input = new StreamReader(settings.File, Encoding.UTF8);
            Tokenize(tokenizer, input, settings.File, Console.Out, cancellationToken);
        }

        Console.Out.Flush();
        return 0;
    }

    /// <summary>The command's core, apart from the console so tests can drive it with readers and writers.</summary>
    internal static void Tokenize(HfTokenizer tokenizer, TextReader input, string inputName, TextWriter output,
        CancellationToken cancellationToken = default)
    {
        var lineNumber = 0;
        for (var line = input.ReadLine(); line is not null; line = input.ReadLine())
        {
            cancellationToken.ThrowIfCancellationRequested();
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var text = ReadText(line, inputName, lineNumber);
            var ids = tokenizer.Encode(text);
            output.WriteLine(JsonSerializer.Serialize(new TokenizedLine(text, ids), OutputOptions));
        }
    }

    private static string ReadText(string line, string inputName, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{inputName}:{lineNumber}: not valid JSON ({ex.Message}); each line must be {{\"text\": \"...\"}}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("text", out var text))
            {
                throw new InvalidDataException($"{inputName}:{lineNumber}: field \"text\" missing; each line must be {{\"text\": \"...\"}}");
            }

            return text.ValueKind == JsonValueKind.String
                ? text.GetString()!
                : throw new InvalidDataException($"{inputName}:{lineNumber}: field \"text\" is {text.ValueKind}, expected a string");
        }
    }
}

/// <summary>One output line of the tokenize command.</summary>
internal sealed record TokenizedLine(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("ids")] IReadOnlyList<int> Ids);
