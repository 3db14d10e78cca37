namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// Alpine's ordering, a port of apk-tools' <c>src/version.c</c> tokenizer:
/// <c>number{.number}…{letter}{_suffix{number}}…{~hash}{-rN}</c>, where <c>_alpha</c>, <c>_beta</c>, <c>_pre</c>,
/// <c>_rc</c> sort before the plain release and <c>_cvs</c>, <c>_svn</c>, <c>_git</c>, <c>_hg</c>, <c>_p</c> after it.
/// Components after a dot that start with 0 compare as fractions (1.01 &lt; 1.1), as apk does.
/// </summary>
internal sealed class ApkVersionComparer : VersionComparer<string>
{
    public static readonly ApkVersionComparer Instance = new();

    private static readonly string[] PreSuffixes = ["alpha", "beta", "pre", "rc"];
    private static readonly string[] PostSuffixes = ["cvs", "svn", "git", "hg", "p"];

    private enum Token
    {
        Invalid = -1,
        DigitOrZero = 0,
        Digit = 1,
        Letter = 2,
        Suffix = 3,
        SuffixNo = 4,
        RevisionNo = 5,
        End = 6,
    }

    protected override string Kind => "apk";

    /// <summary>apk compares the text token by token; parsing only checks that every token is one apk knows.</summary>
    internal override string? Parse(string version)
    {
        if (version.Length == 0 || !char.IsAsciiDigit(version[0]))
        {
            return null;
        }

        var t = Token.Digit;
        var pos = 0;
        while (t is not Token.End and not Token.Invalid)
        {
            GetToken(ref t, version, ref pos);
        }

        return t == Token.End ? version : null;
    }

    internal override int CompareParsed(string a, string b)
    {
        Token at = Token.Digit, bt = Token.Digit;
        long av = 0, bv = 0;
        int ap = 0, bp = 0;
        while (at == bt && at is not Token.End and not Token.Invalid && av == bv)
        {
            av = GetToken(ref at, a, ref ap);
            bv = GetToken(ref bt, b, ref bp);
        }

        if (av != bv)
        {
            return av < bv ? -1 : 1;
        }

        if (at == bt)
        {
            return 0;
        }

        // The common prefix is equal: the longer version is newer unless what follows is a pre-release suffix.
        if (at == Token.Suffix && GetToken(ref at, a, ref ap) < 0)
        {
            return -1;
        }

        if (bt == Token.Suffix && GetToken(ref bt, b, ref bp) < 0)
        {
            return 1;
        }

        return at > bt ? -1 : bt > at ? 1 : 0;
    }

    private static long GetToken(ref Token type, string s, ref int pos)
    {
        if (pos >= s.Length)
        {
            type = Token.End;
            return 0;
        }

        var i = pos;
        long v = 0;
        var next = Token.Invalid;
        switch (type)
        {
            case Token.DigitOrZero when s[i] == '0':
                // Leading zeros after a dot: more zeros make a smaller value (fractional comparison).
                while (i < s.Length && s[i] == '0')
                {
                    i++;
                }

                next = Token.Digit;
                v = pos - i;
                break;
            case Token.DigitOrZero or Token.Digit or Token.SuffixNo or Token.RevisionNo:
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    // Saturate rather than overflow on absurd inputs.
                    v = v > long.MaxValue / 10 ? long.MaxValue : (v * 10) + (s[i] - '0');
                    i++;
                }

                break;
            case Token.Letter:
                v = s[i++];
                break;
            case Token.Suffix:
                var found = false;
                for (var k = 0; k < PreSuffixes.Length && !found; k++)
                {
                    if (string.CompareOrdinal(s, i, PreSuffixes[k], 0, PreSuffixes[k].Length) == 0)
                    {
                        v = k - PreSuffixes.Length;
                        i += PreSuffixes[k].Length;
                        found = true;
                    }
                }

                for (var k = 0; k < PostSuffixes.Length && !found; k++)
                {
                    if (string.CompareOrdinal(s, i, PostSuffixes[k], 0, PostSuffixes[k].Length) == 0)
                    {
                        v = k;
                        i += PostSuffixes[k].Length;
                        found = true;
                    }
                }

                if (!found)
                {
                    type = Token.Invalid;
                    return -1;
                }

                break;
            default:
                type = Token.Invalid;
                return -1;
        }

        pos = i;
        if (pos >= s.Length)
        {
            type = Token.End;
        }
        else if (next != Token.Invalid)
        {
            type = next;
        }
        else
        {
            NextToken(ref type, s, ref pos);
        }

        return v;
    }

    private static void NextToken(ref Token type, string s, ref int pos)
    {
        var n = Token.Invalid;
        var c = s[pos];
        if ((type is Token.Digit or Token.DigitOrZero) && char.IsAsciiLetterLower(c))
        {
            n = Token.Letter;
        }
        else if (type == Token.Letter && char.IsAsciiDigit(c))
        {
            n = Token.Digit;
        }
        else if (type == Token.Suffix && char.IsAsciiDigit(c))
        {
            n = Token.SuffixNo;
        }
        else
        {
            switch (c)
            {
                case '.':
                    n = Token.DigitOrZero;
                    break;
                case '_':
                    n = Token.Suffix;
                    break;
                case '-':
                    if (pos + 1 < s.Length && s[pos + 1] == 'r')
                    {
                        n = Token.RevisionNo;
                        pos++;
                    }

                    break;
                case '~':
                    // A commit hash (~hash) ends the comparable part in apk-tools; treat the rest as opaque.
                    n = Token.Invalid;
                    break;
            }

            pos++;
        }

        if (n < type && !((n == Token.DigitOrZero && type == Token.Digit) ||
                          (n == Token.Suffix && type == Token.SuffixNo) ||
                          (n == Token.Digit && type == Token.Letter)))
        {
            n = Token.Invalid;
        }

        type = n;
    }
}
