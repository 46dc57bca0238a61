using System.Text;
using System.Text.Json;

namespace EvalCluster.Evaluation.Runs;

/// <summary>
/// A run's folder: manifest.json, samples.jsonl (appended one whole line at a time and flushed, so a crash
/// leaves at most one unterminated last line: readers ignore it and resuming cuts it before appending),
/// summary.json, report.md and plots. Thread-safe for concurrent <see cref="Append"/> calls.
/// </summary>
public sealed class RunFolder : IDisposable
{
    public const string ManifestFile = "manifest.json";
    public const string SamplesFile = "samples.jsonl";
    public const string SummaryFile = "summary.json";
    public const string ReportFile = "report.md";

    public const string LockFile = "run.lock";

    private readonly object _gate = new();
    private readonly List<string> _problems = [];
    private FileStream? _samples;
    private FileStream? _writerLock;

    private RunFolder(string path, RunManifest manifest)
    {
        Path = path;
        Manifest = manifest;
    }

    public string Path { get; }

    public RunManifest Manifest { get; }

    public string SamplesPath => System.IO.Path.Combine(Path, SamplesFile);

    /// <summary>
    /// Creates the folder and writes manifest.json, or resumes an existing run whose manifest has the same
    /// content hash; a different manifest is refused (a resumed run must not mix settings).
    /// </summary>
    public static RunFolder CreateOrResume(string path, RunManifest manifest)
    {
        var manifestPath = System.IO.Path.Combine(path, ManifestFile);
        if (File.Exists(manifestPath))
        {
            var existing = ReadManifest(manifestPath);
            if (existing.ContentHash() != manifest.ContentHash())
            {
                throw new EvaluationException($"{manifestPath}: the run folder holds a run with different settings; choose another --run-id or --out, repeat the original settings, or pass --fresh to delete it and start over.");
            }
            var folder = new RunFolder(path, existing) { _writerLock = AcquireWriterLock(path) };
            // Under the writer lock and before anything is appended: a torn last line must not get a record glued to it.
            if (SampleFile.CutTornTail(folder.SamplesPath) is { } cut)
            {
                folder._problems.Add(cut);
            }
            return folder;
        }
        Directory.CreateDirectory(path);
        var writerLock = AcquireWriterLock(path);
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, RunJson.Indented) + "\n");
        return new RunFolder(path, manifest) { _writerLock = writerLock };
    }

    // One writer per run folder: two processes appending to one samples.jsonl would interleave and corrupt lines.
    // FileShare.None takes an exclusive advisory lock (flock) that the OS drops if the process dies.
    private static FileStream AcquireWriterLock(string path)
    {
        var lockPath = System.IO.Path.Combine(path, LockFile);
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new EvaluationException($"{lockPath}: another process is writing this run; wait for it to finish (or stop it) before resuming.", ex);
        }
    }

    /// <summary>Opens an existing run folder for reading (report, rescore) or appending.</summary>
    public static RunFolder Open(string path)
    {
        var manifestPath = System.IO.Path.Combine(path, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            throw new EvaluationException($"{manifestPath}: not found; pass a run folder written by a run (it holds manifest.json and samples.jsonl).");
        }
        return new RunFolder(path, ReadManifest(manifestPath));
    }

    /// <summary>Appends one record as one whole line and flushes it to the operating system.</summary>
    public void Append(SampleRecord record)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, RunJson.Line) + "\n");
        lock (_gate)
        {
            _samples ??= OpenForAppend();
            _samples.Write(bytes);
            _samples.Flush();
        }
    }

    /// <summary>The records of samples.jsonl, first record per key, in file order; bad lines are skipped and reported in <see cref="Problems"/>.</summary>
    public IReadOnlyList<SampleRecord> ReadSamples()
    {
        var problems = new List<string>();
        var records = SampleFile.Read(SamplesPath, problems);
        lock (_gate)
        {
            _problems.AddRange(problems.Except(_problems));
        }
        return records;
    }

    /// <summary>What was repaired or skipped in samples.jsonl (a cut torn last line, corrupt lines), one line each.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_gate)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>Keys already recorded: a resumed run skips them.</summary>
    public IReadOnlySet<SampleKey> CompletedKeys() => ReadSamples().Select(r => r.Key).ToHashSet();

    /// <summary>Replaces samples.jsonl atomically (rescore): written to a temporary file, then moved.</summary>
    public void RewriteSamples(IEnumerable<SampleRecord> records)
    {
        lock (_gate)
        {
            _samples?.Dispose();
            _samples = null;
            WriteAtomically(SamplesFile, string.Concat(records.Select(r => JsonSerializer.Serialize(r, RunJson.Line) + "\n")));
        }
    }

    public void WriteSummary(RunSummary summary) =>
        WriteAtomically(SummaryFile, JsonSerializer.Serialize(summary, RunJson.Indented) + "\n");

    public void WriteReport(string markdown) => WriteAtomically(ReportFile, markdown);

    public void Dispose()
    {
        lock (_gate)
        {
            _samples?.Dispose();
            _samples = null;
            _writerLock?.Dispose();
            _writerLock = null;
        }
    }

    private static RunManifest ReadManifest(string path) =>
        RunFileJson.Read<RunManifest>(path, "restore it from the run's output or start a new run");

    private FileStream OpenForAppend() =>
        new(SamplesPath, FileMode.Append, FileAccess.Write, FileShare.Read);

    private void WriteAtomically(string fileName, string content)
    {
        var target = System.IO.Path.Combine(Path, fileName);
        var temp = target + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, target, overwrite: true);
    }
}
