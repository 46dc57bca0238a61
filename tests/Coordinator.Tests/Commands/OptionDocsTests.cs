using System.ComponentModel;
using System.Reflection;
using EvalCluster.Coordinator.Commands;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>The help of `run` and `calibrate` describes every option, each with its default (or that it is required).</summary>
public sealed class OptionDocsTests
{
    [Theory]
    [InlineData(typeof(RunCommand.Settings))]
    [InlineData(typeof(CalibrateCommand.Settings))]
    public void Every_option_has_a_description_that_names_its_default(Type settings)
    {
        var options = settings.GetProperties().Where(p => p.GetCustomAttribute<CommandOptionAttribute>() is not null).ToList();
        Assert.NotEmpty(options);
        Assert.All(options, p =>
        {
            var description = p.GetCustomAttribute<DescriptionAttribute>()?.Description;
            Assert.False(string.IsNullOrWhiteSpace(description), $"{p.Name} has no description");
            Assert.True(description!.Contains("default", StringComparison.Ordinal) || description.Contains("required", StringComparison.Ordinal),
                $"{p.Name}: '{description}' does not name its default");
        });
    }

    [Fact]
    public void A_user_error_wrapped_by_a_host_or_an_aggregate_is_unwrapped_to_its_own_line()
    {
        var wrapped = new AggregateException(new InvalidOperationException("host failed", new Inference.InferenceException("model.onnx: broken")));
        Assert.Equal("model.onnx: broken", CliErrors.UserError(wrapped)?.Message);
        Assert.Null(CliErrors.UserError(new InvalidOperationException("a bug")));
    }
}
