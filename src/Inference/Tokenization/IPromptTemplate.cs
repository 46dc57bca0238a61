namespace EvalCluster.Inference.Tokenization;

/// <summary>Turns a user message into the exact prompt text a model is fed (plain completion or a chat template).</summary>
public interface IPromptTemplate
{
    string Name { get; }

    string Render(string userMessage);
}
