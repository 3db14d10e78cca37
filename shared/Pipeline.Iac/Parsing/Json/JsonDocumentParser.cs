using System.Globalization;
using System.Text;
using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Json;

/// <summary>
/// A JSON reader that keeps line numbers on every value (System.Text.Json does not report lines) and
/// accepts the comments ARM templates allow. Nesting depth is bounded.
/// </summary>
internal sealed class JsonDocumentParser
{
    private readonly string _s;
    private readonly int _maxDepth;
    private int _pos;
    private int _line = 1;

    private JsonDocumentParser(string s, int maxDepth)
    {
        _s = s;
        _maxDepth = maxDepth;
    }

    public static DValue Parse(string text, int maxDepth = 64)
    {
        var p = new JsonDocumentParser(text, maxDepth);
        p.Ws();
        var v = p.Value(0);
        p.Ws();
        if (p._pos < p._s.Length)
        {
            throw p.Error("unexpected text after the JSON value");
        }

        return v;
    }

    private IacParseException Error(string message) => new($"{message} (line {_line})", _line);

    private char Cur => _pos < _s.Length ? _s[_pos] : '\0';

    private void Ws()
    {
        while (_pos < _s.Length)
        {
            var c = _s[_pos];
            if (c == '\n')
            {
                _line++;
                _pos++;
            }
            else if (c is ' ' or '\t' or '\r' or '\uFEFF')
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _s.Length && _s[_pos + 1] == '/')
            {
                while (_pos < _s.Length && _s[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && _pos + 1 < _s.Length && _s[_pos + 1] == '*')
            {
                _pos += 2;
                while (_pos + 1 < _s.Length && !(_s[_pos] == '*' && _s[_pos + 1] == '/'))
                {
                    if (_s[_pos] == '\n')
                    {
                        _line++;
                    }

                    _pos++;
                }

                _pos += 2;
            }
            else
            {
                return;
            }
        }
    }

    private DValue Value(int depth)
    {
        if (depth > _maxDepth)
        {
            throw Error($"nesting deeper than {_maxDepth}");
        }

        var line = _line;
        switch (Cur)
        {
            case '{':
                {
                    _pos++;
                    var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
                    Ws();
                    while (Cur != '}')
                    {
                        if (Cur != '"')
                        {
                            throw Error("expected a property name");
                        }

                        var key = String();
                        Ws();
                        if (Cur != ':')
                        {
                            throw Error("expected ':'");
                        }

                        _pos++;
                        Ws();
                        map[key] = Value(depth + 1);
                        Ws();
                        if (Cur == ',')
                        {
                            _pos++;
                            Ws();
                        }
                        else if (Cur != '}')
                        {
                            throw Error("expected ',' or '}'");
                        }
                    }

                    _pos++;
                    return DValue.Map(map, line, _line);
                }

            case '[':
                {
                    _pos++;
                    var list = new List<DValue>();
                    Ws();
                    while (Cur != ']')
                    {
                        list.Add(Value(depth + 1));
                        Ws();
                        if (Cur == ',')
                        {
                            _pos++;
                            Ws();
                        }
                        else if (Cur != ']')
                        {
                            throw Error("expected ',' or ']'");
                        }
                    }

                    _pos++;
                    return DValue.List(list, line, _line);
                }

            case '"':
                return DValue.Str(String(), line);
            case 't' when Take("true"):
                return DValue.Bool(true, line);
            case 'f' when Take("false"):
                return DValue.Bool(false, line);
            case 'n' when Take("null"):
                return DValue.NullAt(line);
            default:
                {
                    var start = _pos;
                    while (_pos < _s.Length && (char.IsDigit(_s[_pos]) || _s[_pos] is '-' or '+' or '.' or 'e' or 'E'))
                    {
                        _pos++;
                    }

                    if (start == _pos || !double.TryParse(_s.AsSpan(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    {
                        throw Error(_pos >= _s.Length ? "unexpected end of JSON" : $"unexpected character '{Cur}'");
                    }

                    return DValue.Num(d, line);
                }
        }
    }

    private bool Take(string word)
    {
        if (string.CompareOrdinal(_s, _pos, word, 0, word.Length) == 0)
        {
            _pos += word.Length;
            return true;
        }

        return false;
    }

    private string String()
    {
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _s.Length)
            {
                throw Error("unterminated string");
            }

            var c = _s[_pos++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c == '\n')
            {
                throw Error("newline in string");
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            var e = Cur;
            _pos++;
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    if (_pos + 4 > _s.Length || !int.TryParse(_s.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp))
                    {
                        throw Error("bad \\u escape");
                    }

                    sb.Append((char)cp);
                    _pos += 4;
                    break;
                default: sb.Append(e); break;
            }
        }
    }
}
