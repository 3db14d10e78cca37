using System.Text;

namespace Pipeline.Analysis.Analyzers.Language;

/// <summary>
/// Reads the one TOML shape lock files use: arrays of tables (<c>[[package]]</c>) whose keys hold strings or
/// inline arrays of strings (poetry.lock, Cargo.lock). Sub-tables, multi-line arrays and multi-line strings are
/// skipped. That regular shape is all the analyzers need, so they take no parser dependency (Tomlyn would do).
/// </summary>
internal static class TomlTables
{
    /// <summary>Each <c>[[<paramref name="name"/>]]</c> table's own keys; an array value's strings are joined by newlines.</summary>
    public static List<Dictionary<string, string>> ArrayTables(string text, string name)
    {
        var header = "[[" + name + "]]";
        var tables = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('['))
            {
                current = line == header ? [] : null;
                if (current is not null)
                {
                    tables.Add(current);
                }

                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || line.StartsWith('#'))
            {
                continue;
            }

            var key = line[..eq].Trim().Trim('"');
            var value = line[(eq + 1)..].Trim();
            if (value.StartsWith("\"\"\"", StringComparison.Ordinal) || value.StartsWith("'''", StringComparison.Ordinal))
            {
                // A multi-line string (a description): skip to the line that closes it.
                var fence = value[..3];
                if (value.IndexOf(fence, 3, StringComparison.Ordinal) < 0)
                {
                    while (++i < lines.Length && !lines[i].Contains(fence, StringComparison.Ordinal))
                    {
                    }
                }

                continue;
            }

            if (value.StartsWith('[') && !IsClosed(value))
            {
                var sb = new StringBuilder(value);
                while (++i < lines.Length)
                {
                    sb.Append(' ').Append(lines[i].Trim());
                    if (IsClosed(sb.ToString()))
                    {
                        break;
                    }
                }

                value = sb.ToString();
            }

            if (current is not null)
            {
                current[key] = value.StartsWith('[') ? string.Join('\n', Strings(value)) : Strings(value).FirstOrDefault() ?? value;
            }
        }

        return tables;
    }

    /// <summary>The quoted strings of a value (<c>"a"</c>, <c>'b'</c>, <c>["a", "b"]</c>), basic escapes decoded.</summary>
    private static List<string> Strings(string value)
    {
        var result = new List<string>();
        for (var i = 0; i < value.Length; i++)
        {
            var quote = value[i];
            if (quote is not ('"' or '\''))
            {
                if (quote == '#')
                {
                    break;
                }

                continue;
            }

            var sb = new StringBuilder();
            for (i++; i < value.Length && value[i] != quote; i++)
            {
                if (quote == '"' && value[i] == '\\' && i + 1 < value.Length)
                {
                    i++;
                    sb.Append(value[i] switch { 'n' => '\n', 't' => '\t', _ => value[i] });
                    continue;
                }

                sb.Append(value[i]);
            }

            result.Add(sb.ToString());
        }

        return result;
    }

    private static bool IsClosed(string value)
    {
        var depth = 0;
        char? quote = null;
        foreach (var c in value)
        {
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
            }
        }

        return depth <= 0;
    }
}
