namespace Pipeline.Analysis.Analyzers.Os.Dpkg;

/// <summary>One deb822 paragraph: fields by case-insensitive name, and where it started for error messages.</summary>
internal sealed record ControlParagraph(int Line, Dictionary<string, string> Fields, IReadOnlyList<string> Problems)
{
    public string? this[string field] => Fields.GetValueOrDefault(field);
}

/// <summary>
/// Splits a dpkg database file (deb822: <c>Field: value</c> lines, continuation lines starting with a space
/// or tab, paragraphs separated by blank lines) into paragraphs. It never throws: a line it cannot read is
/// noted in the paragraph's <see cref="ControlParagraph.Problems"/> and the rest of the paragraph is kept,
/// because one damaged entry in a status file must not hide the hundreds of packages around it.
/// </summary>
internal static class ControlParagraphs
{
    public static IEnumerable<ControlParagraph> Parse(string text)
    {
        Dictionary<string, string>? fields = null;
        List<string>? problems = null;
        var start = 0;
        string? last = null;
        var lineNo = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNo++;
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                if (fields is not null)
                {
                    yield return new ControlParagraph(start, fields, problems ?? (IReadOnlyList<string>)[]);
                }

                fields = null;
                problems = null;
                last = null;
                continue;
            }

            if (fields is null)
            {
                fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                start = lineNo;
            }

            if (line[0] is ' ' or '\t')
            {
                if (last is null)
                {
                    (problems ??= []).Add($"line {lineNo}: continuation line without a field");
                }
                else
                {
                    fields[last] = fields[last] + "\n" + line[1..];
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                (problems ??= []).Add($"line {lineNo}: not a 'Field: value' line");
                last = null;
                continue;
            }

            last = line[..colon].Trim();
            fields[last] = line[(colon + 1)..].Trim();
        }

        if (fields is not null)
        {
            yield return new ControlParagraph(start, fields, problems ?? (IReadOnlyList<string>)[]);
        }
    }
}
