using System.Globalization;
using Pipeline.Iac.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pipeline.Iac.Parsing.Yaml;

/// <summary>
/// Reads YAML (every document of a stream) into <see cref="DValue"/>s with line numbers, from YamlDotNet's
/// event parser so we control what costs: nesting depth is bounded, and aliases are counted by the size
/// of what they expand to, so a "billion laughs" document is refused instead of exploding later.
/// Local tags (<c>!Ref</c>) are handed to <paramref name="tags"/> to rewrite (CloudFormation short forms).
/// </summary>
internal sealed class YamlDocumentReader
{
    private const long MaxExpandedNodes = 1_000_000;

    private readonly IParser _parser;
    private readonly int _maxDepth;
    private readonly int _maxAliases;
    private readonly Func<string, DValue, int, DValue>? _tags;
    private readonly Dictionary<string, (DValue Value, long Size)> _anchors = new(StringComparer.Ordinal);
    private int _aliases;
    private long _expanded;

    private YamlDocumentReader(string text, int maxDepth, int maxAliases, Func<string, DValue, int, DValue>? tags)
    {
        _parser = new Parser(new StringReader(text));
        _maxDepth = maxDepth;
        _maxAliases = maxAliases;
        _tags = tags;
    }

    /// <summary>Parses every document; each comes with the lines it spans.</summary>
    public static List<DValue> ReadAll(string text, int maxDepth, int maxAliases, Func<string, DValue, int, DValue>? tags = null)
    {
        var reader = new YamlDocumentReader(text, maxDepth, maxAliases, tags);
        try
        {
            return reader.Documents();
        }
        catch (YamlException e)
        {
            var line = (int)e.Start.Line;
            throw new IacParseException($"{e.Message.Trim()} (line {line})", line);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's parser reports some malformed streams this way instead of with a YamlException.
            var line = Math.Max(1, (int)(reader._parser.Current?.Start.Line ?? 1));
            throw new IacParseException($"malformed YAML: {e.Message} (line {line})", line);
        }
    }

    private List<DValue> Documents()
    {
        var docs = new List<DValue>();
        _parser.Consume<StreamStart>();
        while (_parser.TryConsume<DocumentStart>(out _))
        {
            _anchors.Clear();
            var (node, _) = Node(0);
            _parser.Consume<DocumentEnd>();
            docs.Add(node);
        }

        _parser.Consume<StreamEnd>();
        return docs;
    }

    private (DValue Value, long Size) Node(int depth)
    {
        if (depth > _maxDepth)
        {
            throw new IacParseException($"YAML nesting deeper than {_maxDepth} (line {(int)_parser.Current!.Start.Line})", (int)_parser.Current!.Start.Line);
        }

        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            var line = (int)alias.Start.Line;
            if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new IacParseException($"unknown alias *{alias.Value.Value} (line {line})", line);
            }

            if (++_aliases > _maxAliases || (_expanded += target.Size) > MaxExpandedNodes)
            {
                throw new IacParseException($"YAML aliases expand past the limit ({_maxAliases} aliases, {MaxExpandedNodes} nodes) (line {line})", line);
            }

            return target;
        }

        (DValue Value, long Size) result;
        NodeEvent start;
        if (_parser.TryConsume<Scalar>(out var scalar))
        {
            start = scalar;
            result = (ScalarValue(scalar), 1);
        }
        else if (_parser.TryConsume<SequenceStart>(out var seq))
        {
            start = seq;
            var items = new List<DValue>();
            long size = 1;
            while (!_parser.TryConsume<SequenceEnd>(out _))
            {
                var (item, s) = Node(depth + 1);
                items.Add(item);
                size += s;
            }

            result = (DValue.List(items, (int)seq.Start.Line, LastLine(items, (int)seq.Start.Line)), size);
        }
        else if (_parser.TryConsume<MappingStart>(out var map))
        {
            start = map;
            var fields = new Dictionary<string, DValue>(StringComparer.Ordinal);
            long size = 1;
            var last = (int)map.Start.Line;
            while (!_parser.TryConsume<MappingEnd>(out _))
            {
                var (key, ks) = Node(depth + 1);
                var (value, vs) = Node(depth + 1);
                size += ks + vs;
                last = Math.Max(last, value.EndLine);
                if (key.TryString() == "<<" && value.Kind is DKind.Map or DKind.List)
                {
                    foreach (var merged in value.Kind == DKind.Map ? [value] : value.Items)
                    {
                        foreach (var (k, v) in merged.Fields)
                        {
                            fields.TryAdd(k, v);
                        }
                    }

                    continue;
                }

                fields[key.TryString() ?? key.ToJson()] = value;
            }

            result = (DValue.Map(fields, (int)map.Start.Line, last), size);
        }
        else
        {
            var ev = _parser.Current;
            throw new IacParseException($"unexpected YAML event {ev?.GetType().Name} (line {(int)(ev?.Start.Line ?? 0)})", (int)(ev?.Start.Line ?? 0));
        }

        if (!start.Tag.IsEmpty && start.Tag.Value.StartsWith('!') && !start.Tag.Value.StartsWith("!!", StringComparison.Ordinal) && _tags is not null)
        {
            result = (_tags(start.Tag.Value, result.Value, (int)start.Start.Line), result.Size);
        }

        if (!start.Anchor.IsEmpty)
        {
            _anchors[start.Anchor.Value] = result;
        }

        return result;
    }

    private static int LastLine(List<DValue> items, int fallback) => items.Count == 0 ? fallback : Math.Max(fallback, items.Max(i => i.EndLine));

    private static DValue ScalarValue(Scalar s)
    {
        var line = (int)s.Start.Line;
        var v = s.Value;
        if (s.Style != ScalarStyle.Plain || (!s.Tag.IsEmpty && s.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return DValue.Str(v, line);
        }

        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return DValue.NullAt(line);
            case "true" or "True" or "TRUE":
                return DValue.Bool(true, line);
            case "false" or "False" or "FALSE":
                return DValue.Bool(false, line);
        }

        if ((char.IsDigit(v[0]) || v[0] is '-' or '+' or '.') && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && !v.Contains(':', StringComparison.Ordinal))
        {
            return DValue.Num(d, line);
        }

        return DValue.Str(v, line);
    }
}
