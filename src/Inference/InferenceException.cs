namespace EvalCluster.Inference;

/// <summary>
/// The one exception type the inference library throws for bad models, bad inputs and native ONNX Runtime
/// failures. Its message is a single line that names the file or field and says how to fix it.
/// </summary>
public sealed class InferenceException : Exception
{
    public InferenceException(string message) : base(message) { }

    public InferenceException(string message, Exception inner) : base(message, inner) { }
}
