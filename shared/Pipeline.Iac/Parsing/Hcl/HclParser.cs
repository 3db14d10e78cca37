using System.Globalization;
using System.Text;
using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Hcl;

/// <summary>
/// A recursive-descent HCL2 native-syntax parser: bodies of attributes and blocks, the full expression
/// grammar (operators, conditionals, calls, tuples, objects, for-expressions, splats, index and attribute
/// access), quoted templates with interpolations and <c>%{if}</c>/<c>%{for}</c> directives, heredocs
/// (<c>&lt;&lt;EOF</c> and indented <c>&lt;&lt;-EOF</c>) and the three comment styles. Nesting is bounded.
/// </summary>
internal sealed class HclParser
{
    private readonly string _s;
    private readonly int _maxDepth;
    private int _pos;
    private int _line;
    private int _depth;

    // Inside (), [] and {} of an expression newlines are plain whitespace; in a body they end an attribute.
    private int _bracketNesting;

    private HclParser(string text, int firstLine, int maxDepth)
    {
        _s = text;
        _line = firstLine;
        _maxDepth = maxDepth;
    }

    public static HclBody ParseFile(string text, int maxDepth = 64)
    {
        var p = new HclParser(text, 1, maxDepth);
        var body = p.ParseBody(topLevel: true);
        return body;
    }

    /// <summary>Parses a standalone expression (used by tests and by tfvars values).</summary>
    public static HclExpr ParseExpression(string text, int maxDepth = 64)
    {
        var p = new HclParser(text, 1, maxDepth);
        p.SkipWs(true);
        var e = p.ParseExpr();
        p.SkipWs(true);
        if (!p.AtEnd)
        {
            throw p.Error("unexpected text after expression");
        }

        return e;
    }

    private bool AtEnd => _pos >= _s.Length;

    private char Cur => _pos < _s.Length ? _s[_pos] : '\0';

    private char Peek(int n = 1) => _pos + n < _s.Length ? _s[_pos + n] : '\0';

    private IacParseException Error(string message) => new($"{message} (line {_line})", _line);

    private void Advance()
    {
        if (_s[_pos] == '\n')
        {
            _line++;
        }

        _pos++;
    }

    private void Enter()
    {
        if (++_depth > _maxDepth)
        {
            throw Error($"nesting deeper than {_maxDepth}");
        }
    }

    private void Leave() => _depth--;

    /// <summary>Skips spaces and comments; newlines too when <paramref name="newlines"/> or inside brackets.</summary>
    private void SkipWs(bool newlines = false)
    {
        newlines |= _bracketNesting > 0;
        while (!AtEnd)
        {
            var c = Cur;
            if (c is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            else if (c == '\n')
            {
                if (!newlines)
                {
                    return;
                }

                Advance();
            }
            else if (c == '#' || (c == '/' && Peek() == '/'))
            {
                while (!AtEnd && Cur != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && Peek() == '*')
            {
                var startLine = _line;
                _pos += 2;
                while (!AtEnd && !(Cur == '*' && Peek() == '/'))
                {
                    Advance();
                }

                if (AtEnd)
                {
                    throw new IacParseException($"unterminated comment (line {startLine})", startLine);
                }

                _pos += 2;
            }
            else if (c == '\\' && Peek() == '\n')
            {
                // Not HCL, but harmless: treat a line continuation as whitespace.
                _pos++;
                Advance();
            }
            else
            {
                return;
            }
        }
    }

    private static bool IsIdStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-';

    private string? TryIdent()
    {
        if (!IsIdStart(Cur))
        {
            return null;
        }

        var start = _pos;
        while (!AtEnd && IsIdChar(Cur))
        {
            _pos++;
        }

        return _s[start.._pos];
    }

    private string Ident()
    {
        return TryIdent() ?? throw Error($"expected a name, found '{Describe()}'");
    }

    private string Describe() => AtEnd ? "end of file" : Cur == '\n' ? "newline" : Cur.ToString();

    private void Expect(char c)
    {
        SkipWs();
        if (Cur != c)
        {
            throw Error($"expected '{c}', found '{Describe()}'");
        }

        Advance();
    }

    private bool TryConsume(string token)
    {
        if (string.CompareOrdinal(_s, _pos, token, 0, token.Length) == 0)
        {
            _pos += token.Length;
            return true;
        }

        return false;
    }

    // ---------------------------------------------------------------- bodies

    private HclBody ParseBody(bool topLevel)
    {
        Enter();
        var body = new HclBody { Line = _line };
        while (true)
        {
            SkipWs(newlines: true);
            if (AtEnd)
            {
                if (!topLevel)
                {
                    throw Error("unclosed block: expected '}'");
                }

                break;
            }

            if (Cur == '}')
            {
                if (topLevel)
                {
                    throw Error("unexpected '}'");
                }

                break;
            }

            var line = _line;
            var name = Ident();
            SkipWs();
            if (Cur == '=' && Peek() != '=')
            {
                _pos++;
                SkipWs();
                var expr = ParseExpr();
                body.Attributes.Add(new HclAttribute(name, expr, line, expr.EndLine));
                EndOfItem();
                continue;
            }

            var labels = new List<string>();
            while (Cur != '{')
            {
                if (Cur == '"')
                {
                    var t = ParseQuoted();
                    labels.Add(t.Parts.Count == 0 ? string.Empty : t.Parts is [TemplateLiteral lit] ? lit.Text : throw Error("block labels cannot contain interpolations"));
                }
                else if (IsIdStart(Cur))
                {
                    labels.Add(Ident());
                }
                else
                {
                    throw Error($"expected '=' or a block, found '{Describe()}'");
                }

                SkipWs();
            }

            _pos++;
            var inner = ParseBody(topLevel: false);
            var endLine = _line;
            _pos++; // the closing brace
            inner.EndLine = endLine;
            body.Blocks.Add(new HclBlock(name, labels, inner, line, endLine));
            EndOfItem();
        }

        body.EndLine = _line;
        Leave();
        return body;
    }

    private void EndOfItem()
    {
        SkipWs();
        if (AtEnd || Cur == '\n' || Cur == '}')
        {
            return;
        }

        throw Error($"expected a newline after the item, found '{Describe()}'");
    }

    // ---------------------------------------------------------------- expressions

    private HclExpr ParseExpr()
    {
        Enter();
        var start = _line;
        var cond = ParseBinary(0);
        SkipWs();
        if (Cur == '?')
        {
            _pos++;
            SkipWs(true);
            var then = ParseExpr();
            SkipWs(true);
            Expect(':');
            SkipWs(true);
            var @else = ParseExpr();
            cond = new ConditionalExpr(cond, then, @else) { Line = start, EndLine = @else.EndLine };
        }

        Leave();
        return cond;
    }

    private static readonly string[][] Levels =
    [
        ["||"],
        ["&&"],
        ["==", "!="],
        ["<=", ">=", "<", ">"],
        ["+", "-"],
        ["*", "/", "%"],
    ];

    private HclExpr ParseBinary(int level)
    {
        if (level == Levels.Length)
        {
            return ParseUnary();
        }

        var left = ParseBinary(level + 1);
        while (true)
        {
            SkipWs();
            var op = MatchOp(Levels[level]);
            if (op is null)
            {
                return left;
            }

            SkipWs(true);
            var right = ParseBinary(level + 1);
            left = new BinaryExpr(op, left, right) { Line = left.Line, EndLine = right.EndLine };
        }
    }

    private string? MatchOp(string[] ops)
    {
        foreach (var op in ops)
        {
            if (string.CompareOrdinal(_s, _pos, op, 0, op.Length) != 0)
            {
                continue;
            }

            // "=>" (for-expressions) and "=" are not comparison operators; "<<" starts a heredoc, never an operator here.
            var next = _pos + op.Length < _s.Length ? _s[_pos + op.Length] : '\0';
            if ((op is "<" or ">") && next == '=')
            {
                continue;
            }

            if (op == "*" && Cur == '*')
            {
                // fine: multiplication
            }

            if (op == "/" && (next == '/' || next == '*'))
            {
                return null;
            }

            _pos += op.Length;
            return op;
        }

        return null;
    }

    private HclExpr ParseUnary()
    {
        SkipWs();
        if (Cur == '!' || (Cur == '-' && !char.IsDigit(Peek())))
        {
            var line = _line;
            var op = Cur.ToString();
            _pos++;
            Enter();
            var operand = ParseUnary();
            Leave();
            return new UnaryExpr(op, operand) { Line = line, EndLine = operand.EndLine };
        }

        return ParsePostfix(ParsePrimary());
    }

    private HclExpr ParsePostfix(HclExpr expr)
    {
        while (true)
        {
            // Traversals may not be separated by whitespace in a body, but inside brackets they may.
            if (Cur == '.' && Peek() == '*')
            {
                _pos += 2;
                expr = ParseSplat(expr, attrOnly: true);
            }
            else if (Cur == '[' && Peek() == '*' && Peek(2) == ']')
            {
                _pos += 3;
                expr = ParseSplat(expr, attrOnly: false);
            }
            else if (Cur == '.' && char.IsDigit(Peek()))
            {
                _pos++;
                var start = _pos;
                while (char.IsDigit(Cur))
                {
                    _pos++;
                }

                var idx = double.Parse(_s[start.._pos], CultureInfo.InvariantCulture);
                expr = new IndexExpr(expr, new LiteralExpr(DValue.Num(idx)) { Line = _line, EndLine = _line }) { Line = expr.Line, EndLine = _line };
            }
            else if (Cur == '.' && IsIdStart(Peek()))
            {
                _pos++;
                var name = Ident();
                expr = new GetAttrExpr(expr, name) { Line = expr.Line, EndLine = _line };
            }
            else if (Cur == '[')
            {
                var key = ParseBracketed(']');
                expr = new IndexExpr(expr, key) { Line = expr.Line, EndLine = _line };
            }
            else
            {
                return expr;
            }
        }
    }

    /// <summary>Reads "( expr )" or "[ expr ]" from the opening bracket; newlines inside are whitespace.</summary>
    private HclExpr ParseBracketed(char close)
    {
        _pos++;
        _bracketNesting++;
        SkipWs(true);
        var inner = ParseExpr();
        SkipWs(true);
        _bracketNesting--;
        if (Cur != close)
        {
            throw Error($"expected '{close}', found '{Describe()}'");
        }

        _pos++;
        return inner;
    }

    private HclExpr ParseSplat(HclExpr source, bool attrOnly)
    {
        HclExpr each = new SplatItemExpr { Line = source.Line, EndLine = _line };
        while (true)
        {
            if (Cur == '.' && IsIdStart(Peek()))
            {
                _pos++;
                each = new GetAttrExpr(each, Ident()) { Line = each.Line, EndLine = _line };
            }
            else if (!attrOnly && Cur == '[' && Peek() != '*')
            {
                var key = ParseBracketed(']');
                each = new IndexExpr(each, key) { Line = each.Line, EndLine = _line };
            }
            else
            {
                break;
            }
        }

        return new SplatExpr(source, each) { Line = source.Line, EndLine = _line };
    }

    private HclExpr ParsePrimary()
    {
        SkipWs();
        var line = _line;
        var c = Cur;
        if (char.IsDigit(c) || (c == '-' && char.IsDigit(Peek())))
        {
            return ParseNumber();
        }

        if (c == '"')
        {
            return ParseQuoted();
        }

        if (c == '<' && Peek() == '<')
        {
            return ParseHeredoc();
        }

        if (c == '(')
        {
            var inner = ParseBracketed(')');
            return inner with { Line = line, EndLine = _line };
        }

        if (c == '[')
        {
            return ParseTupleOrFor();
        }

        if (c == '{')
        {
            return ParseObjectOrFor();
        }

        if (IsIdStart(c))
        {
            var name = Ident();
            while (Cur == ':' && Peek() == ':')
            {
                // provider-defined functions: provider::name::function
                _pos += 2;
                name += "::" + Ident();
            }

            switch (name)
            {
                case "true": return new LiteralExpr(DValue.True) { Line = line, EndLine = line };
                case "false": return new LiteralExpr(DValue.False) { Line = line, EndLine = line };
                case "null": return new LiteralExpr(DValue.Null) { Line = line, EndLine = line };
            }

            if (Cur == '(')
            {
                return ParseCall(name, line);
            }

            return new VariableExpr(name) { Line = line, EndLine = line };
        }

        throw Error($"expected an expression, found '{Describe()}'");
    }

    private LiteralExpr ParseNumber()
    {
        var line = _line;
        var start = _pos;
        if (Cur == '-')
        {
            _pos++;
        }

        while (char.IsDigit(Cur))
        {
            _pos++;
        }

        if (Cur == '.' && char.IsDigit(Peek()))
        {
            _pos++;
            while (char.IsDigit(Cur))
            {
                _pos++;
            }
        }

        if (Cur is 'e' or 'E')
        {
            _pos++;
            if (Cur is '+' or '-')
            {
                _pos++;
            }

            while (char.IsDigit(Cur))
            {
                _pos++;
            }
        }

        var value = double.Parse(_s[start.._pos], NumberStyles.Float, CultureInfo.InvariantCulture);
        return new LiteralExpr(DValue.Num(value)) { Line = line, EndLine = line };
    }

    private CallExpr ParseCall(string name, int line)
    {
        _pos++;
        _bracketNesting++;
        var args = new List<HclExpr>();
        var expand = false;
        SkipWs(true);
        while (Cur != ')')
        {
            args.Add(ParseExpr());
            SkipWs(true);
            if (TryConsume("..."))
            {
                expand = true;
                SkipWs(true);
            }

            if (Cur == ',')
            {
                _pos++;
                SkipWs(true);
            }
            else if (Cur != ')')
            {
                throw Error($"expected ',' or ')' in call to {name}, found '{Describe()}'");
            }
        }

        _bracketNesting--;
        _pos++;
        return new CallExpr(name, args, expand) { Line = line, EndLine = _line };
    }

    private bool AtKeyword(string kw)
    {
        return string.CompareOrdinal(_s, _pos, kw, 0, kw.Length) == 0
            && _pos + kw.Length < _s.Length && !IsIdChar(_s[_pos + kw.Length]);
    }

    private HclExpr ParseTupleOrFor()
    {
        var line = _line;
        _pos++;
        _bracketNesting++;
        SkipWs(true);
        if (AtKeyword("for"))
        {
            var f = ParseForHead(line, ']', isObject: false);
            _bracketNesting--;
            return f;
        }

        var items = new List<HclExpr>();
        while (Cur != ']')
        {
            items.Add(ParseExpr());
            SkipWs(true);
            if (Cur == ',')
            {
                _pos++;
                SkipWs(true);
            }
            else if (Cur != ']')
            {
                throw Error($"expected ',' or ']', found '{Describe()}'");
            }
        }

        _pos++;
        _bracketNesting--;
        return new TupleExpr(items) { Line = line, EndLine = _line };
    }

    private HclExpr ParseObjectOrFor()
    {
        var line = _line;
        _pos++;
        _bracketNesting++;
        SkipWs(true);
        if (AtKeyword("for"))
        {
            var f = ParseForHead(line, '}', isObject: true);
            _bracketNesting--;
            return f;
        }

        var items = new List<(HclExpr, HclExpr)>();
        while (Cur != '}')
        {
            HclExpr key;
            var keyLine = _line;
            if (IsIdStart(Cur))
            {
                var save = _pos;
                var name = Ident();
                SkipWs();
                if (Cur is '=' or ':')
                {
                    key = new LiteralExpr(DValue.Str(name)) { Line = keyLine, EndLine = keyLine };
                }
                else
                {
                    _pos = save;
                    key = ParseExpr();
                }
            }
            else
            {
                key = ParseExpr();
            }

            SkipWs(true);
            if (Cur is not ('=' or ':'))
            {
                throw Error($"expected '=' or ':' after an object key, found '{Describe()}'");
            }

            _pos++;
            SkipWs(true);
            var value = ParseExpr();
            items.Add((key, value));
            SkipWs(true);
            if (Cur == ',')
            {
                _pos++;
                SkipWs(true);
            }
            else if (Cur != '}' && !IsIdStart(Cur) && Cur != '"' && Cur != '(')
            {
                throw Error($"expected ',' or '}}' in object, found '{Describe()}'");
            }
        }

        _pos++;
        _bracketNesting--;
        return new ObjectExpr(items) { Line = line, EndLine = _line };
    }

    /// <summary>Reads <c>for [key,] value in collection</c>, shared by for-expressions and template for directives.</summary>
    private (string? Key, string Value, HclExpr Collection) ParseForClause(string what)
    {
        _pos += 3;
        SkipWs(true);
        var first = Ident();
        string? keyVar = null;
        var valueVar = first;
        SkipWs(true);
        if (Cur == ',')
        {
            _pos++;
            SkipWs(true);
            keyVar = first;
            valueVar = Ident();
            SkipWs(true);
        }

        if (!AtKeyword("in"))
        {
            throw Error($"expected 'in' in {what}");
        }

        _pos += 2;
        SkipWs(true);
        return (keyVar, valueVar, ParseExpr());
    }

    private ForExpr ParseForHead(int line, char close, bool isObject)
    {
        var (keyVar, valueVar, coll) = ParseForClause("for expression");
        SkipWs(true);
        Expect(':');
        SkipWs(true);
        HclExpr? keyExpr = null;
        var valueExpr = ParseExpr();
        SkipWs(true);
        var grouping = false;
        if (isObject)
        {
            if (!TryConsume("=>"))
            {
                throw Error("expected '=>' in object for expression");
            }

            keyExpr = valueExpr;
            SkipWs(true);
            valueExpr = ParseExpr();
            SkipWs(true);
            if (TryConsume("..."))
            {
                grouping = true;
                SkipWs(true);
            }
        }

        HclExpr? cond = null;
        if (AtKeyword("if"))
        {
            _pos += 2;
            SkipWs(true);
            cond = ParseExpr();
            SkipWs(true);
        }

        if (Cur != close)
        {
            throw Error($"expected '{close}' to close the for expression, found '{Describe()}'");
        }

        _pos++;
        return new ForExpr(keyVar, valueVar, coll, keyExpr, valueExpr, cond, grouping) { Line = line, EndLine = _line };
    }

    // ---------------------------------------------------------------- templates

    private TemplateExpr ParseQuoted()
    {
        var line = _line;
        _pos++; // opening quote
        var parts = ParseTemplateParts(quoted: true);
        if (Cur != '"')
        {
            throw new IacParseException($"unterminated string (line {line})", line);
        }

        _pos++;
        return new TemplateExpr(parts) { Line = line, EndLine = _line };
    }

    private TemplateExpr ParseHeredoc()
    {
        var line = _line;
        _pos += 2;
        var indent = false;
        if (Cur == '-')
        {
            indent = true;
            _pos++;
        }

        var marker = Ident();
        while (Cur is ' ' or '\t' or '\r')
        {
            _pos++;
        }

        if (Cur != '\n')
        {
            throw Error("expected a newline after the heredoc marker");
        }

        Advance();
        var contentLine = _line;
        var lines = new List<string>();
        while (true)
        {
            if (AtEnd)
            {
                throw new IacParseException($"unterminated heredoc <<{marker} (line {line})", line);
            }

            var eol = _s.IndexOf('\n', _pos);
            var text = eol < 0 ? _s[_pos..] : _s[_pos..eol];
            var trimmed = text.TrimEnd('\r');
            if (trimmed.Trim() == marker)
            {
                _pos = eol < 0 ? _s.Length : eol;
                break;
            }

            lines.Add(trimmed);
            if (eol < 0)
            {
                throw new IacParseException($"unterminated heredoc <<{marker} (line {line})", line);
            }

            _pos = eol;
            Advance();
        }

        if (indent)
        {
            var min = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ', '\t').Length).DefaultIfEmpty(0).Min();
            lines = lines.Select(l => l.Length >= min ? l[min..] : l.TrimStart()).ToList();
        }

        var content = lines.Count == 0 ? string.Empty : string.Join('\n', lines) + "\n";
        var sub = new HclParser(content, contentLine, _maxDepth) { _depth = _depth };
        var parts = sub.ParseTemplateParts(quoted: false);
        return new TemplateExpr(parts) { Line = line, EndLine = _line };
    }

    private enum DirectiveKind
    {
        If,
        Else,
        EndIf,
        For,
        EndFor,
    }

    private sealed record Directive(DirectiveKind Kind, HclExpr? Expr, string? KeyVar, string? ValueVar) : TemplatePart;

    /// <summary>Reads literal text, interpolations and directives up to the closing quote (or the end for heredocs).</summary>
    private List<TemplatePart> ParseTemplateParts(bool quoted)
    {
        var flat = new List<TemplatePart>();
        var sb = new StringBuilder();
        var savedNesting = _bracketNesting;
        while (!AtEnd)
        {
            var c = Cur;
            if (quoted && c == '"')
            {
                break;
            }

            if (quoted && c == '\n')
            {
                throw Error("newline in a quoted string");
            }

            if (quoted && c == '\\')
            {
                _pos++;
                var e = Cur;
                _pos++;
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case 'u' or 'U':
                        var len = e == 'u' ? 4 : 8;
                        if (_pos + len > _s.Length || !int.TryParse(_s.AsSpan(_pos, len), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp))
                        {
                            throw Error("bad unicode escape");
                        }

                        sb.Append(char.ConvertFromUtf32(cp));
                        _pos += len;
                        break;
                    default: throw Error($"unknown escape \\{e}");
                }

                continue;
            }

            if ((c == '$' || c == '%') && Peek() == c && Peek(2) == '{')
            {
                sb.Append(c).Append('{');
                _pos += 3;
                continue;
            }

            if ((c == '$' || c == '%') && Peek() == '{')
            {
                if (sb.Length > 0)
                {
                    flat.Add(new TemplateLiteral(sb.ToString()));
                    sb.Clear();
                }

                _pos += 2;
                _bracketNesting = 1;
                SkipWs(true);
                if (Cur == '~')
                {
                    _pos++;
                    TrimTrailing(flat);
                    SkipWs(true);
                }

                flat.Add(c == '$' ? new TemplateInterpolation(ParseExpr()) : ParseDirective());
                SkipWs(true);
                var strip = false;
                if (Cur == '~')
                {
                    strip = true;
                    _pos++;
                }

                if (Cur != '}')
                {
                    throw Error($"expected '}}' to close the template sequence, found '{Describe()}'");
                }

                _pos++;
                _bracketNesting = savedNesting;
                if (strip)
                {
                    while (!AtEnd && char.IsWhiteSpace(Cur) && !(quoted && Cur == '"'))
                    {
                        Advance();
                    }
                }

                continue;
            }

            sb.Append(c);
            Advance();
        }

        if (sb.Length > 0)
        {
            flat.Add(new TemplateLiteral(sb.ToString()));
        }

        var index = 0;
        var result = Nest(flat, ref index, null);
        return result;
    }

    private static void TrimTrailing(List<TemplatePart> flat)
    {
        if (flat.Count > 0 && flat[^1] is TemplateLiteral lit)
        {
            flat[^1] = new TemplateLiteral(lit.Text.TrimEnd());
        }
    }

    private TemplatePart ParseDirective()
    {
        if (AtKeyword("if"))
        {
            _pos += 2;
            SkipWs(true);
            return new Directive(DirectiveKind.If, ParseExpr(), null, null);
        }

        if (AtKeyword("else"))
        {
            _pos += 4;
            return new Directive(DirectiveKind.Else, null, null, null);
        }

        if (AtKeyword("endif"))
        {
            _pos += 5;
            return new Directive(DirectiveKind.EndIf, null, null, null);
        }

        if (AtKeyword("endfor"))
        {
            _pos += 6;
            return new Directive(DirectiveKind.EndFor, null, null, null);
        }

        if (AtKeyword("for"))
        {
            var (key, value, collection) = ParseForClause("template for directive");
            return new Directive(DirectiveKind.For, collection, key, value);
        }

        throw Error("unknown template directive");
    }

    private List<TemplatePart> Nest(List<TemplatePart> flat, ref int index, DirectiveKind? until)
    {
        var parts = new List<TemplatePart>();
        while (index < flat.Count)
        {
            var part = flat[index++];
            if (part is not Directive d)
            {
                parts.Add(part);
                continue;
            }

            switch (d.Kind)
            {
                case DirectiveKind.If:
                    var then = Nest(flat, ref index, DirectiveKind.EndIf);
                    var @else = new List<TemplatePart>();
                    if (index > 0 && flat[index - 1] is Directive { Kind: DirectiveKind.Else })
                    {
                        @else = Nest(flat, ref index, DirectiveKind.EndIf);
                    }

                    parts.Add(new TemplateIf(d.Expr!, then, @else));
                    break;
                case DirectiveKind.For:
                    parts.Add(new TemplateFor(d.KeyVar, d.ValueVar!, d.Expr!, Nest(flat, ref index, DirectiveKind.EndFor)));
                    break;
                case DirectiveKind.Else when until == DirectiveKind.EndIf:
                    return parts;
                case var k when k == until:
                    return parts;
                default:
                    throw Error($"unexpected %{{{d.Kind.ToString().ToLowerInvariant()}}} in template");
            }
        }

        if (until is not null)
        {
            throw Error($"missing %{{{until.Value.ToString().ToLowerInvariant()}}} in template");
        }

        return parts;
    }
}
