using System.Security.Cryptography;
using EvalCluster.Inference.Calibration;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;

namespace EvalCluster.Inference.Tests.Calibration;

public sealed class CalibrationFileTests
{
    private static readonly CalibrationFile Sample = new()
    {
        Tau = 3.25, Lambda = 1.75, R = 0.05, Window = 16, Score = "ce",
        Base = new ModelIdentity("base", "ab"), Guide = new ModelIdentity("guide", "cd"), Tokens = 900, Prompts = 12,
    };

    [Fact]
    public void A_written_calibration_reads_back_equal()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cal-{Guid.NewGuid():N}.json");
        Sample.Write(path);
        Assert.Equal(Sample, CalibrationFile.Read(path));
        Assert.Contains("\"tau\": 3.25", File.ReadAllText(path));
    }

    [Fact]
    public void A_file_missing_a_required_field_is_named_in_the_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cal-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"tau\": 1, \"r\": 0.1, \"window\": 4, \"base\": {\"name\": \"b\", \"sha256\": \"x\"}, \"guide\": {\"name\": \"g\", \"sha256\": \"y\"}}");
        var ex = Assert.Throws<InferenceException>(() => CalibrationFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("lambda", ex.Message);
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
