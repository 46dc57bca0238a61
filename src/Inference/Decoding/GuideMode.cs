namespace EvalCluster.Inference.Decoding;

/// <summary>
/// Lazy: the guide is fed only when a gate needs its distribution, catching up all unseen tokens in one
/// multi-token forward. Eager (the paper's way): the guide steps every token whenever a guide model is given,
/// so every trace record has a score (also for the base arm, which calibration uses).
/// </summary>
public enum GuideMode
{
    Lazy,
    Eager,
}
