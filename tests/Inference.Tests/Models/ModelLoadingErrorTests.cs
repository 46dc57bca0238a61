using System.Text.Json.Nodes;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;

namespace EvalCluster.Inference.Tests.Models;

public sealed class ModelLoadingErrorTests
{
    [Fact]
    public void A_folder_without_model_onnx_gets_an_error_naming_the_missing_file()
    {
        var dir = Directory.CreateTempSubdirectory("evalcluster-empty").FullName;

        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(dir, ExecutionOptions.Cpu));

        Assert.Contains("model.onnx not found", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_non_positive_max_position_embeddings_is_refused()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Seed: 6, MaxPositions: 0), "ctx0");

        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(dir, ExecutionOptions.Cpu));

        Assert.Contains("max_position_embeddings must be positive, found 0", ex.Message);
    }

    [Fact]
    public void A_config_that_contradicts_the_graph_names_the_field_and_both_values()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Seed: 3), "badcfg");
        var path = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["num_key_value_heads"] = 4;
        File.WriteAllText(path, config.ToJsonString());

        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(dir, ExecutionOptions.Cpu));

        Assert.Contains("num_key_value_heads=4", ex.Message);
        Assert.Contains("has 2", ex.Message);
    }

    [Fact]
    public void A_layer_count_mismatch_is_reported()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Seed: 4), "badlayers");
        var path = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["num_hidden_layers"] = 7;
        File.WriteAllText(path, config.ToJsonString());

        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(dir, ExecutionOptions.Cpu));

        Assert.Contains("num_hidden_layers=7", ex.Message);
    }

    [Fact]
    public void Malformed_config_json_names_the_file()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Seed: 5), "badjson");
        File.WriteAllText(Path.Combine(dir, "config.json"), "{ \"num_hidden_layers\": ");

        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(dir, ExecutionOptions.Cpu));

        Assert.Contains("config.json", ex.Message);
    }

    [Fact]
    public void An_unknown_device_string_says_which_devices_exist()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Seed: 6), "dev");

        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(dir, new ExecutionOptions("gpu0")));

        Assert.Contains("cpu, cuda:N", ex.Message);
    }

    [Fact]
    public void Cuda_either_loads_or_fails_with_a_clear_error_and_auto_always_loads()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Seed: 6), "cuda");

        try
        {
            using var lm = OnnxCausalLm.Load(dir, new ExecutionOptions("cuda:0"));
            Assert.Equal("cuda:0", lm.Device);
        }
        catch (InferenceException ex)
        {
            Assert.Contains("CUDA execution provider could not load", ex.Message);
        }
        using var auto = OnnxCausalLm.Load(dir, new ExecutionOptions("auto"));
        Assert.Contains(auto.Device, new[] { "cpu", "cuda:0" });
    }

    [Fact]
    public void A_token_outside_the_vocabulary_is_rejected_before_running()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Seed: 7), "vocab");
        using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);

        Assert.Throws<ArgumentException>(() => lm.Forward([new ForwardRequest(lm.OpenSession(), new[] { 5000 })]));
    }
}
