using System.Text;
using Microsoft.ML.Tokenizers;

namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (GPT-2, Qwen2/2.5/3) loaded from tokenizer.json and run on
/// Microsoft.ML.Tokenizers. Encoding follows HF: added tokens are cut out first (longest match, raw text),
/// the rest is normalised, split with the file's regex, mapped to bytes and merged by rank.
/// </summary>
public sealed class HfTokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly AddedTokenSplitter _splitter;
    private readonly Dictionary<string, int> _addedIds;
    private readonly Dictionary<int, string> _addedContents;
    private readonly IReadOnlyDictionary<string, int> _vocabulary;
    private readonly Dictionary<int, string> _tokensById;
    private readonly NormalizationForm? _normalization;
    private readonly bool _addPrefixSpace;

    private HfTokenizer(TokenizerSpec spec)
    {
        _bpe = BpeTokenizer.Create(new BpeOptions(spec.Vocabulary)
        {
            Merges = spec.Merges,
            ByteLevel = true,
            PreTokenizer = new CodePointRegexPreTokenizer(spec.SplitPattern),
        });
        _splitter = new AddedTokenSplitter(spec.AddedTokens);
        _addedIds = spec.AddedTokens.GroupBy(t => t.Content).ToDictionary(g => g.Key, g => g.Last().Id, StringComparer.Ordinal);
        _addedContents = spec.AddedTokens.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.Last().Content);
        _vocabulary = spec.Vocabulary;
        _tokensById = new Dictionary<int, string>(spec.Vocabulary.Count);
        foreach (var (token, id) in spec.Vocabulary)
        {
            _tokensById[id] = token;
        }

        _normalization = spec.Normalization;
        _addPrefixSpace = spec.AddPrefixSpace;
        var maxId = Math.Max(spec.Vocabulary.Values.Max(), _addedContents.Keys.DefaultIfEmpty(-1).Max());
        VocabSize = maxId + 1;
        AddedTokens = spec.AddedTokens;
    }

    /// <summary>One more than the largest id of the vocabulary or added tokens (HF's vocab size with added tokens).</summary>
    public int VocabSize { get; }

    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>Loads tokenizer.json; a file this class would get wrong raises an InferenceException naming the field.</summary>
    public static HfTokenizer Load(string tokenizerJsonPath)
    {
        var spec = TokenizerJsonReader.Read(tokenizerJsonPath);
        try
        {
            return new HfTokenizer(spec);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // Microsoft.ML.Tokenizers validates vocabulary and merges together (e.g. a merge whose result is no token).
            throw new InferenceException($"{tokenizerJsonPath}: field model rejected: {ex.Message}", ex);
        }
    }

    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (var segment in _splitter.Split(text))
        {
            if (segment.AddedTokenId is { } id)
            {
                ids.Add(id);
                continue;
            }

            var piece = text.Substring(segment.Start, segment.Length);
            if (_normalization is { } form)
            {
                piece = UnicodeNormalizer.Apply(piece, form);
            }

            if (_addPrefixSpace && !piece.StartsWith(' '))
            {
                piece = " " + piece;
            }

            ids.AddRange(_bpe.EncodeToIds(piece, considerPreTokenization: true, considerNormalization: false));
        }

        return ids;
    }

    /// <summary>
    /// Decodes ids to text; added and special tokens come out as their text, ids outside the vocabulary are
    /// skipped (as HF does: a model's embedding matrix is often padded past the tokenizer's vocabulary), and
    /// incomplete UTF-8 sequences become U+FFFD.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if (_addedContents.TryGetValue(id, out var content))
            {
                Flush(run, text);
                text.Append(content);
            }
            else if (_tokensById.ContainsKey(id))
            {
                run.Add(id);
            }
        }

        Flush(run, text);
        return text.ToString();
    }

    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_addedIds.TryGetValue(token, out var id))
        {
            return id;
        }

        return _vocabulary.TryGetValue(token, out id) ? id : null;
    }

    public string? IdToToken(int id) => _addedContents.TryGetValue(id, out var content) ? content : _tokensById.GetValueOrDefault(id);

    private void Flush(List<int> run, StringBuilder text)
    {
        if (run.Count > 0)
        {
            text.Append(_bpe.Decode(run));
            run.Clear();
        }
    }
}
