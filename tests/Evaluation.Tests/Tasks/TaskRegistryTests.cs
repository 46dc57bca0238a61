using EvalCluster.Evaluation.Data;
using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Evaluation.Tests.Tasks;

public sealed class TaskRegistryTests
{
    private static readonly TaskRegistry s_registry = new(RepoPaths.File("tasks"));

    [Fact]
    public void The_shipped_task_files_cover_the_seven_benchmarks_and_the_toy_task()
    {
        string[] expected = ["aime24", "aime25", "amc23", "gsm8k", "math500", "minerva_math", "olympiadbench", "toy-plan"];
        Assert.Equal(expected, s_registry.Names);
    }

    [Theory]
    [InlineData("gsm8k", 1319)]
    [InlineData("math500", 500)]
    [InlineData("aime24", 30)]
    [InlineData("aime25", 30)]
    [InlineData("amc23", 40)]
    [InlineData("minerva_math", 272)]
    [InlineData("olympiadbench", 675)]
    public void Each_benchmark_task_loads_every_row_of_its_shared_dataset(string name, int rows)
    {
        var problems = DatasetLoader.Load(s_registry.Get(name), RepoPaths.Datasets);
        Assert.Equal(rows, problems.Count);
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Answer)));
    }

    [Fact]
    public void Math500_problems_carry_subject_and_level()
    {
        var first = DatasetLoader.Load(s_registry.Get("math500"), RepoPaths.Datasets)[0];
        Assert.Equal(("test/precalculus/807.json", "Precalculus", "2"), (first.Id, first.Subject, first.Level));
    }

    [Fact]
    public void An_unknown_task_name_is_answered_with_did_you_mean()
    {
        var ex = Assert.Throws<EvaluationException>(() => s_registry.Get("math5OO"));
        Assert.Contains("did you mean 'math500'", ex.Message);
    }

    [Fact]
    public void The_default_prompt_asks_for_step_by_step_reasoning_and_a_boxed_answer()
    {
        var prompt = s_registry.Get("math500").RenderBasePrompt("What is 1+1?");
        Assert.Equal("What is 1+1?\nPlease reason step by step, and put your final answer within \\boxed{}.\n", prompt);
    }

    [Fact]
    public void The_toy_task_prompt_is_the_problem_and_a_newline_only()
    {
        var toy = s_registry.Get("toy-plan");
        Assert.Equal("7+2*3\n", toy.RenderBasePrompt("7+2*3"));
        Assert.Equal(64, toy.Generation.MaxNewTokens);
        Assert.Equal(["boxed"], toy.Extraction);
    }

    [Fact]
    public void Few_shot_examples_come_before_the_problem_in_the_base_prompt()
    {
        var prompts = new TaskPrompts { Base = "Q: {problem}\nA:", FewShot = [new FewShotExample("1+1", " 2")] };
        Assert.Equal("Q: 1+1\nA: 2\n\nQ: 2+2\nA:", prompts.RenderBase("2+2"));
    }

    [Fact]
    public void The_default_tasks_directory_is_found_from_the_repository()
    {
        Assert.Equal(Path.GetFullPath(RepoPaths.File("tasks")), Path.GetFullPath(TaskRegistry.FindDefaultDirectory(RepoPaths.Root)));
    }
}
