using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Iac.Parsing.Dockerfile;

/// <summary>One Dockerfile instruction with its lines (continuations and heredoc bodies included).</summary>
internal sealed record DockerInstruction(string Command, string Args, int StartLine, int EndLine, IReadOnlyList<string> Heredocs)
{
    /// <summary>The arguments and any heredoc bodies, as the shell would see them.</summary>
    public string Script => Heredocs.Count == 0 ? Args : Args + "\n" + string.Join('\n', Heredocs);
}

/// <summary>One build stage: its FROM and the instructions up to the next FROM.</summary>
internal sealed record DockerStage(string Image, string? Alias, DockerInstruction From, IReadOnlyList<DockerInstruction> Instructions);

/// <summary>A parsed Dockerfile.</summary>
internal sealed record DockerfileModel(IReadOnlyList<DockerInstruction> Instructions, IReadOnlyList<DockerStage> Stages);

/// <summary>
/// Parses Dockerfiles the way BuildKit's front end reads them: parser directives (<c># escape=`</c>),
/// comments, line continuations with the escape character, heredocs (<c>RUN &lt;&lt;EOF</c>, <c>&lt;&lt;-EOF</c>)
/// and multi-stage FROM ... AS name.
/// </summary>
internal static partial class DockerfileParser
{
    private const int MaxInstructions = 100_000;

    [GeneratedRegex(@"^#\s*([a-zA-Z]+)\s*=\s*(.*)$")]
    private static partial Regex Directive();

    [GeneratedRegex(@"<<(-?)([""']?)([A-Za-z_][A-Za-z0-9_]*)\2")]
    private static partial Regex HeredocMarker();

    [GeneratedRegex(@"^[A-Za-z]+$")]
    private static partial Regex Word();

    public static DockerfileModel Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var escape = '\\';
        var i = 0;

        // Parser directives are only honoured before any instruction, comment or blank line.
        while (i < lines.Length && Directive().Match(lines[i].Trim()) is { Success: true } m)
        {
            if (m.Groups[1].Value.Equals("escape", StringComparison.OrdinalIgnoreCase) && m.Groups[2].Value.Trim() is { Length: 1 } e && e[0] is '`' or '\\')
            {
                escape = e[0];
            }

            i++;
        }

        var instructions = new List<DockerInstruction>();
        while (i < lines.Length)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                i++;
                continue;
            }

            var start = i + 1;
            var sb = new StringBuilder();
            while (true)
            {
                var line = lines[i].TrimEnd();
                var continued = line.EndsWith(escape) && !(escape == '\\' && line.EndsWith("\\\\", StringComparison.Ordinal));
                sb.Append(continued ? line[..^1] : line);
                i++;
                if (!continued)
                {
                    break;
                }

                sb.Append(' ');

                // Comment lines and empty lines inside a continuation are skipped, as BuildKit does.
                while (i < lines.Length && (lines[i].TrimStart().StartsWith('#') || lines[i].Trim().Length == 0))
                {
                    i++;
                }

                if (i >= lines.Length)
                {
                    break;
                }
            }

            var full = sb.ToString().Trim();
            var space = full.IndexOfAny([' ', '\t']);
            var command = (space < 0 ? full : full[..space]).ToUpperInvariant();
            var args = space < 0 ? string.Empty : full[(space + 1)..].Trim();
            if (!Word().IsMatch(command))
            {
                throw new IacParseException($"not a Dockerfile instruction: '{command}' (line {start})", start);
            }

            var heredocs = new List<string>();
            if (command is "RUN" or "COPY" or "ADD")
            {
                foreach (Match h in HeredocMarker().Matches(args))
                {
                    var strip = h.Groups[1].Value == "-";
                    var marker = h.Groups[3].Value;
                    var body = new StringBuilder();
                    var closed = false;
                    while (i < lines.Length)
                    {
                        var l = lines[i++];
                        if ((strip ? l.TrimStart('\t') : l).TrimEnd() == marker)
                        {
                            closed = true;
                            break;
                        }

                        body.Append(strip ? l.TrimStart('\t') : l).Append('\n');
                    }

                    if (!closed)
                    {
                        throw new IacParseException($"unterminated heredoc <<{marker} (line {start})", start);
                    }

                    heredocs.Add(body.ToString());
                }
            }

            instructions.Add(new DockerInstruction(command, args, start, i, heredocs));
            if (instructions.Count > MaxInstructions)
            {
                throw new IacParseException($"more than {MaxInstructions} instructions", start);
            }
        }

        return new DockerfileModel(instructions, Stages(instructions));
    }

    private static List<DockerStage> Stages(List<DockerInstruction> instructions)
    {
        var stages = new List<DockerStage>();
        DockerInstruction? from = null;
        var current = new List<DockerInstruction>();
        foreach (var ins in instructions)
        {
            if (ins.Command == "FROM")
            {
                if (from is not null)
                {
                    stages.Add(Stage(from, current));
                }

                from = ins;
                current = [];
            }
            else if (from is not null)
            {
                current.Add(ins);
            }
        }

        if (from is not null)
        {
            stages.Add(Stage(from, current));
        }

        return stages;
    }

    private static DockerStage Stage(DockerInstruction from, List<DockerInstruction> instructions)
    {
        var words = from.Args.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        var image = words.Count > 0 ? words[0] : string.Empty;
        var alias = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
        return new DockerStage(image, alias, from, instructions);
    }
}
