using System.Security.Cryptography;
using EvalCluster.Inference.Calibration;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;

namespace EvalCluster.Inference.Tests.Calibration;

public sealed class CalibrationFileTests
{
    private static readonly CalibrationFile Sample = new()
    {
        Entries = [new CalibrationEntry(0.02, 4.5, 2.25), new CalibrationEntry(0.05, 3.25, 1.75)], Window = 16, Score = "ce",
        Base = new ModelIdentity("base", "ab"), Guide = new ModelIdentity("guide", "cd"), Tokens = 900, Prompts = 12,
        Task = "toy-plan", PromptTemplateSha256 = "ff",
    };

    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"cal-{Guid.NewGuid():N}.json");

    [Fact]
    public void A_written_calibration_reads_back_equal()
    {
        var path = TempPath();
        Sample.Write(path);
        var read = CalibrationFile.Read(path);
        Assert.Equal(Sample.Entries, read.Entries);
        Assert.Equal(Sample with { Entries = [] }, read with { Entries = [] });
        Assert.Contains("\"tau\": 3.25", File.ReadAllText(path));
        File.Delete(path);
    }

    [Fact]
    public void A_file_missing_a_required_field_is_named_in_the_error()
    {
        var path = TempPath();
        File.WriteAllText(path, "{\"format\": 2, \"window\": 4, \"base\": {\"name\": \"b\", \"sha256\": \"x\"}, \"guide\": {\"name\": \"g\", \"sha256\": \"y\"}}");
        var ex = Assert.Throws<InferenceException>(() => CalibrationFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("entries", ex.Message);
        File.Delete(path);
    }

    [Theory]
    [InlineData("\"r\": 7, \"tau\": 1, \"lambda\": 1", "entries[0].r: 7 must lie strictly between 0 and 1")]
    [InlineData("\"r\": 0.1, \"tau\": -5, \"lambda\": 1", "entries[0].tau: -5 must be finite and >= 0")]
    [InlineData("\"r\": 0.1, \"tau\": 1, \"lambda\": -1", "entries[0].lambda: -1 must be finite and >= 0")]
    [InlineData("\"r\": 0.1, \"tau\": \"NaN\", \"lambda\": 1", "entries[0].tau: NaN must be finite")]
    public void Values_out_of_range_are_refused_with_their_field(string entry, string message)
    {
        var path = TempPath();
        File.WriteAllText(path, "{\"format\": 2, \"entries\": [{" + entry + "}], \"window\": 4, "
            + "\"base\": {\"name\": \"b\", \"sha256\": \"x\"}, \"guide\": {\"name\": \"g\", \"sha256\": \"y\"}}");
        var ex = Assert.Throws<InferenceException>(() => CalibrationFile.Read(path));
        Assert.Contains(message, ex.Message);
        Assert.StartsWith(path, ex.Message);
        File.Delete(path);
    }

    [Fact]
    public void The_single_r_format_of_earlier_versions_is_refused_with_how_to_regenerate_it()
    {
        var path = TempPath();
        File.WriteAllText(path, "{\"tau\": 1, \"lambda\": 2, \"r\": 0.1, \"window\": 4, \"base\": {\"name\": \"b\", \"sha256\": \"x\"}, \"guide\": {\"name\": \"g\", \"sha256\": \"y\"}}");
        Assert.Contains("regenerate it with the calibrate command", Assert.Throws<InferenceException>(() => CalibrationFile.Read(path)).Message);
        File.Delete(path);
    }

    [Fact]
    public void A_calibration_names_how_it_differs_from_the_task_it_is_used_on()
    {
        Assert.Null(Sample.TaskMismatch("toy-plan", "ff", "c.json"));
        Assert.Contains("made on task 'toy-plan', not 'gsm8k'", Sample.TaskMismatch("gsm8k", "ff", "c.json"));
        Assert.Contains("prompt template changed", Sample.TaskMismatch("toy-plan", "00", "c.json"));
        Assert.Contains("raw problems", (Sample with { Task = null }).TaskMismatch("toy-plan", "ff", "c.json"));
    }

    [Fact]
    public void Calibrations_from_other_models_are_refused()
    {
        Sample.CheckModels(new ModelIdentity("x", "ab"), new ModelIdentity("y", "cd"), "c.json");
        var ex = Assert.Throws<InferenceException>(() => Sample.CheckModels(new ModelIdentity("base", "ff"), new ModelIdentity("guide", "cd"), "c.json"));
        Assert.Contains("rerun calibrate", ex.Message);
    }

    [Fact]
    public void Model_identity_is_the_folder_name_and_the_hash_of_model_onnx()
    {
        var dir = TestModelWriter.WriteTemp(new TestModelSpec(Seed: 5), "ident");
        var identity = ModelIdentity.Of(ModelFolder.Open(dir));
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "model.onnx"))));
        Assert.Equal(expected, identity.Sha256);
        Assert.Equal(Path.GetFileName(dir), identity.Name);
    }
}
