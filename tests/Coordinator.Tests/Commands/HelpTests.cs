namespace EvalCluster.Coordinator.Tests.Commands;

[Collection("TokenizeConsole")]
public sealed class HelpTests
{
    // Help text is Spectre markup: an unescaped [...] in a description crashes `--help` (exit 2), as `run` once did.
    [Theory]
    [InlineData("run")]
    [InlineData("tokenize")]
    [InlineData("calibrate")]
    [InlineData("analyze")]
    [InlineData("grade")]
    [InlineData("rescore")]
    [InlineData("report")]
    [InlineData("ls")]
    public void Every_command_prints_its_help_and_exits_zero(string command)
    {
        Assert.Equal(0, CoordinatorApp.RunCli([command, "--help"]));
    }
}
