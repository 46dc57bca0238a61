using EvalCluster.Contracts.Lanes;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Grains.Models;

/// <summary>How each role turns its prompt text into tokens (one place, so the cluster and references agree).</summary>
public static class PromptEncoding
{
    public static int[] Encode(TokenizerBundle text, string role, string prompt) => role == ModelRoles.Base
        ? [.. text.Tokenizer.Encode(prompt)]
        : [.. text.Tokenizer.Encode(text.Template(thinking: true).Render(prompt))];
}
