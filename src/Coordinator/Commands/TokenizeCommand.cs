using Spectre.Console.Cli;

namespace EvalCluster.Coordinator.Commands;

/// <summary>Placeholder: the tokenizer engineer replaces this file.</summary>
public sealed class TokenizeCommand : Command<TokenizeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) => 0;
}
