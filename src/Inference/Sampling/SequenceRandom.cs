using System.Security.Cryptography;
using System.Text;

namespace EvalCluster.Inference.Sampling;

/// <summary>
/// A per-sequence random stream (xoshiro256**), seeded from (run seed, problem id, sample index, arm), so a
/// sequence's sampled tokens never depend on which other sequences share its batch or in which order they run.
/// </summary>
public sealed class SequenceRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SequenceRandom(ulong seed)
    {
        Seed = seed;
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong Seed { get; }

    /// <summary>Derives a stable seed from the run seed and the identity of one sequence (SHA-256 based).</summary>
    public static ulong DeriveSeed(ulong runSeed, string problemId, int sample, string arm)
    {
        var text = $"{runSeed}\u001f{problemId}\u001f{sample}\u001f{arm}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return BitConverter.ToUInt64(hash, 0);
    }

    public static SequenceRandom Derive(ulong runSeed, string problemId, int sample, string arm) =>
        new(DeriveSeed(runSeed, problemId, sample, arm));

    /// <summary>Next uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
