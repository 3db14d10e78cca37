using System.Globalization;
using System.Text;

namespace Pipeline.Infra.Tests.Terraform;

/// <summary>An HCL expression. The integrator will switch this reader to Pipeline.Iac's parser.</summary>
internal abstract record HclExpr
{
    public sealed record Literal(object? Value) : HclExpr;

    /// <summary>A quoted or heredoc string: literal parts (string) and interpolations (HclExpr).</summary>
    public sealed record Template(IReadOnlyList<object> Parts) : HclExpr;

    public sealed record Variable(string Name) : HclExpr;

    public sealed record GetAttr(HclExpr Target, string Name) : HclExpr;

    public sealed record IndexOf(HclExpr Target, HclExpr Key) : HclExpr;

    public sealed record Splat(HclExpr Target) : HclExpr;

    public sealed record Call(string Name, IReadOnlyList<HclExpr> Args) : HclExpr;

    public sealed record Tuple(IReadOnlyList<HclExpr> Items) : HclExpr;

    public sealed record Object(IReadOnlyList<(HclExpr Key, HclExpr Value)> Items) : HclExpr;

    public sealed record Unary(string Op, HclExpr Operand) : HclExpr;

    public sealed record Binary(string Op, HclExpr Left, HclExpr Right) : HclExpr;

    public sealed record Conditional(HclExpr Condition, HclExpr Then, HclExpr Else) : HclExpr;

    public sealed record For(string? KeyVar, string ValueVar, HclExpr Collection, HclExpr? KeyExpr, HclExpr ValueExpr, HclExpr? Filter, bool IsObject) : HclExpr;
}

/// <summary>A block: type, labels, and its body.</summary>
internal sealed record HclBlock(string Type, IReadOnlyList<string> Labels, HclBody Body, int Line);

/// <summary>A body: attributes in order and nested blocks in order.</summary>
internal sealed record HclBody(IReadOnlyDictionary<string, HclExpr> Attributes, IReadOnlyList<HclBlock> Blocks);

/// <summary>
/// A small, strict reader for the HCL native syntax the Terraform files here use: blocks, attributes,
/// templates with interpolation, heredocs, operators, conditionals, for expressions, splats and calls.
/// Input is bounded in size and nesting; anything it does not understand is an error with a line number.
/// </summary>
internal static class Hcl
{
    private const int MaxLength = 4 * 1024 * 1024;
    private const int MaxDepth = 128;

    public static HclBody ParseFile(string path) => Parse(File.ReadAllText(path), path);

    public static HclBody Parse(string text, string source = "<input>")
    {
        if (text.Length > MaxLength)
        {
            throw new FormatException($"{source}: file too large.");
        }

        var tokens = Lexer.Tokenize(text, source);
        var parser = new Parser(tokens, source);
        var body = parser.ParseBody(topLevel: true);
        return body;
    }

    internal enum Kind
    {
        Ident,
        Number,
        String,
        Heredoc,
        Punct,
        Newline,
        End,
    }

    internal sealed record Token(Kind Kind, string Text, int Line, IReadOnlyList<object>? Parts = null);

    private static class Lexer
    {
        private static readonly string[] Puncts = ["...", "==", "!=", "<=", ">=", "&&", "||", "=>", "{", "}", "[", "]", "(", ")", "=", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".", ","];

        public static List<Token> Tokenize(string text, string source)
        {
            var tokens = new List<Token>();
            var i = 0;
            var line = 1;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '\n')
                {
                    tokens.Add(new Token(Kind.Newline, "\n", line++));
                    i++;
                }
                else if (c is ' ' or '\t' or '\r')
                {
                    i++;
                }
                else if (c == '#' || (c == '/' && At(text, i + 1) == '/'))
                {
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c == '/' && At(text, i + 1) == '*')
                {
                    var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        throw new FormatException($"{source}:{line}: unterminated comment.");
                    }

                    line += text.AsSpan(i, end - i).Count('\n');
                    i = end + 2;
                }
                else if (char.IsLetter(c) || c == '_')
                {
                    var start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-'))
                    {
                        i++;
                    }

                    tokens.Add(new Token(Kind.Ident, text[start..i], line));
                }
                else if (char.IsDigit(c))
                {
                    var start = i;
                    while (i < text.Length && (char.IsDigit(text[i]) || (text[i] == '.' && char.IsDigit(At(text, i + 1))) || text[i] is 'e' or 'E'))
                    {
                        i++;
                    }

                    tokens.Add(new Token(Kind.Number, text[start..i], line));
                }
                else if (c == '"')
                {
                    var startLine = line;
                    var parts = ReadTemplate(text, ref i, ref line, source, terminator: '"');
                    tokens.Add(new Token(Kind.String, "", startLine, parts));
                }
                else if (c == '<' && At(text, i + 1) == '<')
                {
                    tokens.Add(ReadHeredoc(text, ref i, ref line, source));
                }
                else
                {
                    var p = Puncts.FirstOrDefault(p => string.CompareOrdinal(text, i, p, 0, p.Length) == 0)
                        ?? throw new FormatException($"{source}:{line}: unexpected character '{c}'.");
                    tokens.Add(new Token(Kind.Punct, p, line));
                    i += p.Length;
                }
            }

            tokens.Add(new Token(Kind.End, "", line));
            return tokens;
        }

        private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

        private static Token ReadHeredoc(string text, ref int i, ref int line, string source)
        {
            var startLine = line;
            i += 2;
            var indented = At(text, i) == '-';
            if (indented)
            {
                i++;
            }

            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            var marker = text[start..i];
            var eol = text.IndexOf('\n', i);
            if (marker.Length == 0 || eol < 0)
            {
                throw new FormatException($"{source}:{line}: malformed heredoc.");
            }

            i = eol + 1;
            line++;
            var lines = new List<string>();
            while (true)
            {
                if (i >= text.Length)
                {
                    throw new FormatException($"{source}:{startLine}: heredoc {marker} is not closed.");
                }

                var next = text.IndexOf('\n', i);
                var current = next < 0 ? text[i..] : text[i..next];
                i = next < 0 ? text.Length : next + 1;
                line++;
                if (current.Trim() == marker)
                {
                    break;
                }

                lines.Add(current);
            }

            line--;
            if (indented && lines.Count > 0)
            {
                var trim = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
                lines = lines.Select(l => l.Length >= trim ? l[trim..] : l.TrimStart()).ToList();
            }

            var body = string.Join('\n', lines) + "\n";
            var pos = 0;
            var innerLine = startLine;
            var parts = ReadTemplate(body + "\u0000", ref pos, ref innerLine, source, terminator: '\u0000', skipOpening: false);
            // The end-marker line is consumed; the heredoc token stands where it started.
            return new Token(Kind.Heredoc, marker, startLine, parts);
        }

        private static List<object> ReadTemplate(string text, ref int i, ref int line, string source, char terminator, bool skipOpening = true)
        {
            if (skipOpening)
            {
                i++;
            }

            var parts = new List<object>();
            var sb = new StringBuilder();
            while (true)
            {
                if (i >= text.Length || (text[i] == '\n' && terminator == '"'))
                {
                    throw new FormatException($"{source}:{line}: unterminated string.");
                }

                var c = text[i];
                if (c == terminator)
                {
                    i++;
                    break;
                }

                if (c == '\\' && terminator == '"')
                {
                    var e = At(text, i + 1);
                    switch (e)
                    {
                        case 'n': sb.Append('\n'); break;
                        case 't': sb.Append('\t'); break;
                        case 'r': sb.Append('\r'); break;
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case 'u':
                            sb.Append((char)int.Parse(text.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                            i += 4;
                            break;
                        default: throw new FormatException($"{source}:{line}: unknown escape \\{e}.");
                    }

                    i += 2;
                    continue;
                }

                if ((c == '$' || c == '%') && At(text, i + 1) == c && At(text, i + 2) == '{')
                {
                    // $${ and %%{ escape a literal ${ or %{.
                    sb.Append(c).Append('{');
                    i += 3;
                    continue;
                }

                if ((c == '$' || c == '%') && At(text, i + 1) == '{')
                {
                    if (c == '%')
                    {
                        throw new FormatException($"{source}:{line}: template directives (%{{ }}) are not supported.");
                    }

                    var end = MatchingBrace(text, i + 1, source, line);
                    if (sb.Length > 0)
                    {
                        parts.Add(sb.ToString());
                        sb.Clear();
                    }

                    var inner = text[(i + 2)..end].Trim().Trim('~').Trim();
                    var innerTokens = Tokenize(inner, source).Where(t => t.Kind != Kind.Newline).ToList();
                    var p = new Parser(innerTokens, source);
                    parts.Add(p.ParseExpressionToEnd());
                    i = end + 1;
                    continue;
                }

                if (c == '\n')
                {
                    line++;
                }

                sb.Append(c);
                i++;
            }

            if (sb.Length > 0 || parts.Count == 0)
            {
                parts.Add(sb.ToString());
            }

            return parts;
        }

        private static int MatchingBrace(string text, int open, string source, int line)
        {
            var depth = 0;
            var inString = false;
            for (var j = open; j < text.Length; j++)
            {
                var c = text[j];
                if (inString)
                {
                    if (c == '\\')
                    {
                        j++;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }

                    continue;
                }

                if (c == '"')
                {
                    inString = true;
                }
                else if (c == '{')
                {
                    depth++;
                }
                else if (c == '}' && --depth == 0)
                {
                    return j;
                }
            }

            throw new FormatException($"{source}:{line}: unterminated interpolation.");
        }
    }

    private sealed class Parser(List<Token> tokens, string source)
    {
        private int pos;
        private int nesting;
        private int depth;

        public HclBody ParseBody(bool topLevel)
        {
            Enter();
            var attributes = new Dictionary<string, HclExpr>(StringComparer.Ordinal);
            var blocks = new List<HclBlock>();
            while (true)
            {
                SkipNewlines();
                var t = tokens[pos];
                if (t.Kind == Kind.End)
                {
                    if (!topLevel)
                    {
                        throw Error("unexpected end of file; a block is not closed.");
                    }

                    break;
                }

                if (t.Kind == Kind.Punct && t.Text == "}")
                {
                    if (topLevel)
                    {
                        throw Error("unexpected '}'.");
                    }

                    break;
                }

                if (t.Kind != Kind.Ident)
                {
                    throw Error($"expected an attribute or block name, found '{t.Text}'.");
                }

                pos++;
                if (Is(Kind.Punct, "="))
                {
                    pos++;
                    var value = ParseExpression();
                    if (!attributes.TryAdd(t.Text, value))
                    {
                        throw Error($"attribute '{t.Text}' is set twice.");
                    }

                    ExpectEndOfLine();
                    continue;
                }

                var labels = new List<string>();
                while (tokens[pos].Kind is Kind.String or Kind.Ident)
                {
                    var label = tokens[pos++];
                    labels.Add(label.Kind == Kind.Ident ? label.Text : string.Concat(label.Parts!.Select(p => p as string ?? throw Error("interpolation in a block label."))));
                }

                Expect("{");
                var body = ParseBody(topLevel: false);
                Expect("}");
                blocks.Add(new HclBlock(t.Text, labels, body, t.Line));
                ExpectEndOfLine();
            }

            depth--;
            return new HclBody(attributes, blocks);
        }

        public HclExpr ParseExpressionToEnd()
        {
            nesting++;
            var e = ParseExpression();
            if (tokens[pos].Kind != Kind.End)
            {
                throw Error($"unexpected '{tokens[pos].Text}' in interpolation.");
            }

            return e;
        }

        private HclExpr ParseExpression()
        {
            Enter();
            var condition = ParseBinary(0);
            HclExpr result = condition;
            if (IsSkipping(Kind.Punct, "?"))
            {
                pos++;
                var then = ParseExpression();
                ExpectSkipping(":");
                var otherwise = ParseExpression();
                result = new HclExpr.Conditional(condition, then, otherwise);
            }

            depth--;
            return result;
        }

        private static readonly string[][] Precedence =
        [
            ["||"],
            ["&&"],
            ["==", "!="],
            ["<", ">", "<=", ">="],
            ["+", "-"],
            ["*", "/", "%"],
        ];

        private HclExpr ParseBinary(int level)
        {
            if (level == Precedence.Length)
            {
                return ParseUnary();
            }

            var left = ParseBinary(level + 1);
            while (PeekSkipping() is { Kind: Kind.Punct } t && Precedence[level].Contains(t.Text))
            {
                pos++;
                var right = ParseBinary(level + 1);
                left = new HclExpr.Binary(t.Text, left, right);
            }

            return left;
        }

        private HclExpr ParseUnary()
        {
            if (PeekSkipping() is { Kind: Kind.Punct, Text: "!" or "-" } t)
            {
                pos++;
                Enter();
                var operand = ParseUnary();
                depth--;
                return new HclExpr.Unary(t.Text, operand);
            }

            return ParsePostfix(ParsePrimary());
        }

        private HclExpr ParsePostfix(HclExpr e)
        {
            while (true)
            {
                if (Is(Kind.Punct, "."))
                {
                    pos++;
                    var t = tokens[pos++];
                    e = t.Kind switch
                    {
                        Kind.Ident => new HclExpr.GetAttr(e, t.Text),
                        Kind.Number => new HclExpr.IndexOf(e, new HclExpr.Literal(decimal.Parse(t.Text, CultureInfo.InvariantCulture))),
                        Kind.Punct when t.Text == "*" => new HclExpr.Splat(e),
                        _ => throw Error("expected an attribute name after '.'."),
                    };
                }
                else if (Is(Kind.Punct, "["))
                {
                    pos++;
                    nesting++;
                    if (IsSkipping(Kind.Punct, "*"))
                    {
                        pos++;
                        ExpectSkipping("]");
                        nesting--;
                        e = new HclExpr.Splat(e);
                        continue;
                    }

                    var key = ParseExpression();
                    ExpectSkipping("]");
                    nesting--;
                    e = new HclExpr.IndexOf(e, key);
                }
                else
                {
                    return e;
                }
            }
        }

        private HclExpr ParsePrimary()
        {
            var t = PeekSkipping();
            switch (t.Kind)
            {
                case Kind.Number:
                    pos++;
                    return new HclExpr.Literal(decimal.Parse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
                case Kind.String or Kind.Heredoc:
                    pos++;
                    return t.Parts is [string s] ? new HclExpr.Literal(s) : new HclExpr.Template(t.Parts!);
                case Kind.Ident when t.Text is "true" or "false":
                    pos++;
                    return new HclExpr.Literal(t.Text == "true");
                case Kind.Ident when t.Text == "null":
                    pos++;
                    return new HclExpr.Literal(null);
                case Kind.Ident when tokens[pos + 1] is { Kind: Kind.Punct, Text: "(" }:
                    return ParseCall();
                case Kind.Ident:
                    pos++;
                    return new HclExpr.Variable(t.Text);
                case Kind.Punct when t.Text == "(":
                    pos++;
                    nesting++;
                    var inner = ParseExpression();
                    ExpectSkipping(")");
                    nesting--;
                    return inner;
                case Kind.Punct when t.Text == "[":
                    return ParseTuple();
                case Kind.Punct when t.Text == "{":
                    return ParseObject();
                default:
                    throw Error($"unexpected '{t.Text}' in an expression.");
            }
        }

        private HclExpr ParseCall()
        {
            var name = tokens[pos].Text;
            pos += 2;
            nesting++;
            var args = new List<HclExpr>();
            while (!IsSkipping(Kind.Punct, ")"))
            {
                args.Add(ParseExpression());
                if (IsSkipping(Kind.Punct, "..."))
                {
                    pos++;
                }

                if (!IsSkipping(Kind.Punct, ","))
                {
                    break;
                }

                pos++;
            }

            ExpectSkipping(")");
            nesting--;
            return new HclExpr.Call(name, args);
        }

        private HclExpr ParseTuple()
        {
            pos++;
            nesting++;
            if (PeekSkipping() is { Kind: Kind.Ident, Text: "for" })
            {
                var f = ParseFor(isObject: false);
                ExpectSkipping("]");
                nesting--;
                return f;
            }

            var items = new List<HclExpr>();
            while (!IsSkipping(Kind.Punct, "]"))
            {
                items.Add(ParseExpression());
                if (!IsSkipping(Kind.Punct, ","))
                {
                    break;
                }

                pos++;
            }

            ExpectSkipping("]");
            nesting--;
            return new HclExpr.Tuple(items);
        }

        private HclExpr ParseObject()
        {
            pos++;
            nesting++;
            if (PeekSkipping() is { Kind: Kind.Ident, Text: "for" })
            {
                var f = ParseFor(isObject: true);
                ExpectSkipping("}");
                nesting--;
                return f;
            }

            var items = new List<(HclExpr, HclExpr)>();
            while (!IsSkipping(Kind.Punct, "}"))
            {
                var keyToken = PeekSkipping();

                // A bare identifier key is the key's name, not a variable reference.
                HclExpr key = keyToken.Kind == Kind.Ident && tokens[pos + 1] is { Kind: Kind.Punct, Text: "=" or ":" }
                    ? new HclExpr.Literal(tokens[pos++].Text)
                    : ParseExpression();
                if (!(IsSkipping(Kind.Punct, "=") || IsSkipping(Kind.Punct, ":")))
                {
                    throw Error("expected '=' or ':' after an object key.");
                }

                pos++;
                items.Add((key, ParseExpression()));
                if (IsSkipping(Kind.Punct, ","))
                {
                    pos++;
                }
            }

            ExpectSkipping("}");
            nesting--;
            return new HclExpr.Object(items);
        }

        private HclExpr.For ParseFor(bool isObject)
        {
            pos++;
            var first = ExpectIdent();
            string? keyVar = null;
            var valueVar = first;
            if (IsSkipping(Kind.Punct, ","))
            {
                pos++;
                keyVar = first;
                valueVar = ExpectIdent();
            }

            if (PeekSkipping() is not { Kind: Kind.Ident, Text: "in" })
            {
                throw Error("expected 'in' in a for expression.");
            }

            pos++;
            var collection = ParseExpression();
            ExpectSkipping(":");
            HclExpr? keyExpr = null;
            var valueExpr = ParseExpression();
            if (isObject)
            {
                ExpectSkipping("=>");
                keyExpr = valueExpr;
                valueExpr = ParseExpression();
                if (IsSkipping(Kind.Punct, "..."))
                {
                    pos++;
                }
            }

            HclExpr? filter = null;
            if (PeekSkipping() is { Kind: Kind.Ident, Text: "if" })
            {
                pos++;
                filter = ParseExpression();
            }

            return new HclExpr.For(keyVar, valueVar, collection, keyExpr, valueExpr, filter, isObject);
        }

        private string ExpectIdent()
        {
            var t = PeekSkipping();
            if (t.Kind != Kind.Ident)
            {
                throw Error("expected a name.");
            }

            pos++;
            return t.Text;
        }

        // Inside brackets, parentheses and object braces newlines are insignificant; in a body they end an attribute.
        private Token PeekSkipping()
        {
            if (nesting > 0)
            {
                SkipNewlines();
            }

            return tokens[pos];
        }

        private bool IsSkipping(Kind kind, string text) => PeekSkipping() is var t && t.Kind == kind && t.Text == text;

        private void ExpectSkipping(string text)
        {
            if (!IsSkipping(Kind.Punct, text))
            {
                throw Error($"expected '{text}', found '{tokens[pos].Text}'.");
            }

            pos++;
        }

        private bool Is(Kind kind, string text) => tokens[pos].Kind == kind && tokens[pos].Text == text;

        private void Expect(string text)
        {
            SkipNewlines();
            if (!Is(Kind.Punct, text))
            {
                throw Error($"expected '{text}', found '{tokens[pos].Text}'.");
            }

            pos++;
        }

        private void ExpectEndOfLine()
        {
            if (tokens[pos].Kind is Kind.Newline or Kind.End || Is(Kind.Punct, "}"))
            {
                return;
            }

            throw Error($"expected a new line, found '{tokens[pos].Text}'.");
        }

        private void SkipNewlines()
        {
            while (tokens[pos].Kind == Kind.Newline)
            {
                pos++;
            }
        }

        private void Enter()
        {
            if (++depth > MaxDepth)
            {
                throw Error("nested too deeply.");
            }
        }

        private FormatException Error(string message) => new($"{source}:{tokens[Math.Min(pos, tokens.Count - 1)].Line}: {message}");
    }
}
