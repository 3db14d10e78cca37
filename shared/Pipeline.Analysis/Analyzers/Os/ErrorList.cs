using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Analyzers.Os;

/// <summary>
/// Collects what an analyzer could not read in one file and writes at most <see cref="Max"/> of those
/// messages, plus a count of the rest: a garbage file of a million lines must not become a million errors
/// in the cached layer analysis.
/// </summary>
internal sealed class ErrorList(string analyzer, string path)
{
    public const int Max = 50;

    private readonly List<string> _messages = [];
    private int _dropped;

    public void Add(string message)
    {
        if (_messages.Count < Max)
        {
            _messages.Add(message);
        }
        else
        {
            _dropped++;
        }
    }

    public void WriteTo(LayerAnalysis facts)
    {
        foreach (var m in _messages)
        {
            facts.AddError(analyzer, path, m);
        }

        if (_dropped > 0)
        {
            facts.AddError(analyzer, path, $"{_dropped} more errors like these were left out");
        }
    }
}
