namespace EvalCluster.Evaluation.Tests.Grading;

/// <summary>The golden grading tables beside these tests: tab-separated rows, '#' comments and blank lines skipped.</summary>
internal static class TsvTable
{
    /// <summary>Each row of tests/Evaluation.Tests/Grading/NAME with its 1-based line number (for test names that point at the row).</summary>
    public static IEnumerable<(int Line, string[] Fields)> Rows(string name)
    {
        var lineNo = 0;
        foreach (var line in File.ReadLines(RepoPaths.File("tests", "Evaluation.Tests", "Grading", name)))
        {
            lineNo++;
            if (line.StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }
            yield return (lineNo, line.Split('\t'));
        }
    }
}
