using System.Globalization;
using System.Net;
using System.Numerics;
using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.Json;

namespace Pipeline.Iac.Parsing.Hcl;

/// <summary>
/// The Terraform functions templates commonly use. A function we do not implement, or one given an
/// unknown argument, returns unknown rather than guessing.
/// </summary>
internal static class HclFunctions
{
    public static DValue Call(string name, List<DValue> a)
    {
        // Functions that look at structure tolerate unknown elements; the rest need every argument known.
        switch (name)
        {
            case "length" when a.Count == 1 && a[0].Kind is DKind.List or DKind.Map:
                return DValue.Num(a[0].Kind == DKind.List ? a[0].Items.Count : a[0].Fields.Count);
            case "lookup" when a.Count >= 2 && a[0].Kind == DKind.Map && a[1].TryString() is { } lk:
                return a[0].Get(lk) ?? (a.Count > 2 ? a[2] : DValue.Unknown());
            case "merge":
                {
                    var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
                    foreach (var m in a)
                    {
                        if (m.Kind == DKind.Null)
                        {
                            continue;
                        }

                        if (m.Kind != DKind.Map)
                        {
                            return DValue.Unknown();
                        }

                        foreach (var (k, v) in m.Fields)
                        {
                            map[k] = v;
                        }
                    }

                    return DValue.Map(map);
                }

            case "concat":
                if (a.Any(x => x.Kind != DKind.List))
                {
                    return DValue.Unknown();
                }

                return DValue.List(a.SelectMany(x => x.Items).ToList());
            case "coalesce":
                foreach (var v in a)
                {
                    if (!v.IsKnown)
                    {
                        return DValue.Unknown();
                    }

                    if (v.Kind != DKind.Null && !(v.Kind == DKind.String && v.AsString.Length == 0))
                    {
                        return v;
                    }
                }

                return DValue.Null;
            case "coalescelist":
                return a.FirstOrDefault(v => v.Kind == DKind.List && v.Items.Count > 0) ?? DValue.List([]);
            case "keys" when a.Count == 1 && a[0].Kind == DKind.Map:
                return DValue.List(a[0].Fields.Keys.Order(StringComparer.Ordinal).Select(k => DValue.Str(k)).ToList());
            case "values" when a.Count == 1 && a[0].Kind == DKind.Map:
                return DValue.List(a[0].Fields.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList());
            case "element" when a.Count == 2 && a[0].Kind == DKind.List && a[0].Items.Count > 0 && a[1].TryNumber() is { } ei:
                return a[0].Items[(int)ei % a[0].Items.Count];
            case "tolist" or "toset" when a.Count == 1 && a[0].Kind == DKind.List:
                return name == "toset" ? DValue.List(SetOrder(Distinct(a[0].Items))) : a[0];
            case "tomap" when a.Count == 1 && a[0].Kind == DKind.Map:
                return a[0];
            case "flatten" when a.Count == 1 && a[0].Kind == DKind.List:
                return DValue.List(Flatten(a[0]).ToList());
            case "compact" when a.Count == 1 && a[0].Kind == DKind.List:
                return DValue.List(a[0].Items.Where(i => !(i.Kind == DKind.Null || (i.Kind == DKind.String && i.AsString.Length == 0))).ToList());
            case "distinct" when a.Count == 1 && a[0].Kind == DKind.List:
                return DValue.List(Distinct(a[0].Items));
            case "zipmap" when a.Count == 2 && a[0].Kind == DKind.List && a[1].Kind == DKind.List:
                {
                    var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
                    for (var i = 0; i < Math.Min(a[0].Items.Count, a[1].Items.Count); i++)
                    {
                        if (a[0].Items[i].TryString() is { } k)
                        {
                            map[k] = a[1].Items[i];
                        }
                    }

                    return DValue.Map(map);
                }

            case "jsonencode" when a.Count == 1:
                return a[0].ContainsUnknown() ? DValue.Unknown() : DValue.Str(a[0].ToJson());
            case "tostring" when a.Count == 1 && a[0].Kind == DKind.Null:
                return DValue.Null;
        }

        if (a.Any(x => !x.IsKnown))
        {
            return DValue.Unknown(a.FirstOrDefault(x => !x.IsKnown)?.Reference);
        }

        try
        {
            return CallKnown(name, a);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException or InvalidOperationException)
        {
            return DValue.Unknown();
        }
    }

    private static List<DValue> Distinct(IReadOnlyList<DValue> items)
    {
        var result = new List<DValue>();
        foreach (var i in items)
        {
            if (!result.Any(r => r.ValueEquals(i)))
            {
                result.Add(i);
            }
        }

        return result;
    }

    /// <summary>Terraform iterates a set of strings in lexical order (and for_each keys come out that way).</summary>
    private static List<DValue> SetOrder(List<DValue> items) =>
        items.All(i => i.Kind == DKind.String) ? items.OrderBy(i => i.AsString, StringComparer.Ordinal).ToList() : items;

    private static IEnumerable<DValue> Flatten(DValue v)
    {
        foreach (var i in v.Items)
        {
            if (i.Kind == DKind.List)
            {
                foreach (var j in Flatten(i))
                {
                    yield return j;
                }
            }
            else
            {
                yield return i;
            }
        }
    }

    private static string S(DValue v) => v.TryString() ?? throw new FormatException("expected a string");

    private static double N(DValue v) => v.TryNumber() ?? throw new FormatException("expected a number");

    private static DValue CallKnown(string name, List<DValue> a)
    {
        switch (name)
        {
            case "format": return DValue.Str(HclText.Format(S(a[0]), a.Skip(1).ToList()));
            case "formatlist":
                {
                    var n = a.Skip(1).Where(x => x.Kind == DKind.List).Select(x => x.Items.Count).DefaultIfEmpty(1).Max();
                    var list = new List<DValue>();
                    for (var i = 0; i < n; i++)
                    {
                        list.Add(DValue.Str(HclText.Format(S(a[0]), a.Skip(1).Select(x => x.Kind == DKind.List ? x.Items[i] : x).ToList())));
                    }

                    return DValue.List(list);
                }

            case "join": return DValue.Str(string.Join(S(a[0]), a.Skip(1).SelectMany(l => l.Items).Select(S)));
            case "split": return DValue.List(S(a[1]).Split(S(a[0])).Select(x => DValue.Str(x)).ToList());
            case "lower": return DValue.Str(S(a[0]).ToLowerInvariant());
            case "upper": return DValue.Str(S(a[0]).ToUpperInvariant());
            case "title": return DValue.Str(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(S(a[0])));
            case "trimspace": return DValue.Str(S(a[0]).Trim());
            case "trim": return DValue.Str(S(a[0]).Trim(S(a[1]).ToCharArray()));
            case "trimprefix": return DValue.Str(S(a[0]).StartsWith(S(a[1]), StringComparison.Ordinal) ? S(a[0])[S(a[1]).Length..] : S(a[0]));
            case "trimsuffix": return DValue.Str(S(a[0]).EndsWith(S(a[1]), StringComparison.Ordinal) ? S(a[0])[..^S(a[1]).Length] : S(a[0]));
            case "replace":
                {
                    var pattern = S(a[1]);
                    if (pattern.Length > 2 && pattern[0] == '/' && pattern[^1] == '/')
                    {
                        return DValue.Str(System.Text.RegularExpressions.Regex.Replace(S(a[0]), pattern[1..^1], S(a[2]), System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)));
                    }

                    return DValue.Str(S(a[0]).Replace(pattern, S(a[2]), StringComparison.Ordinal));
                }

            case "substr":
                {
                    var s = S(a[0]);
                    var off = Math.Clamp((int)N(a[1]), 0, s.Length);
                    var len = (int)N(a[2]);
                    return DValue.Str(len < 0 ? s[off..] : s.Substring(off, Math.Min(len, s.Length - off)));
                }

            case "length": return DValue.Num(S(a[0]).Length);
            case "contains": return DValue.Bool(a[0].Items.Any(i => i.ValueEquals(a[1])));
            case "startswith": return DValue.Bool(S(a[0]).StartsWith(S(a[1]), StringComparison.Ordinal));
            case "endswith": return DValue.Bool(S(a[0]).EndsWith(S(a[1]), StringComparison.Ordinal));
            case "strcontains": return DValue.Bool(S(a[0]).Contains(S(a[1]), StringComparison.Ordinal));
            case "tostring": return DValue.Str(a[0].TryString() ?? throw new FormatException("not a primitive"));
            case "tonumber": return DValue.Num(N(a[0]));
            case "tobool": return DValue.Bool(a[0].TryBool() ?? throw new FormatException("not a bool"));
            case "max": return DValue.Num(a.Select(N).Max());
            case "min": return DValue.Num(a.Select(N).Min());
            case "abs": return DValue.Num(Math.Abs(N(a[0])));
            case "ceil": return DValue.Num(Math.Ceiling(N(a[0])));
            case "floor": return DValue.Num(Math.Floor(N(a[0])));
            case "range":
                {
                    double start = 0, end, step = 1;
                    if (a.Count == 1)
                    {
                        end = N(a[0]);
                    }
                    else
                    {
                        start = N(a[0]);
                        end = N(a[1]);
                        step = a.Count > 2 ? N(a[2]) : (end >= start ? 1 : -1);
                    }

                    var list = new List<DValue>();
                    for (var x = start; step > 0 ? x < end : x > end; x += step)
                    {
                        list.Add(DValue.Num(x));
                        if (list.Count > 10_000)
                        {
                            throw new ArgumentException("range too long");
                        }
                    }

                    return DValue.List(list);
                }

            case "index": return DValue.Num(a[0].Items.ToList().FindIndex(i => i.ValueEquals(a[1])));
            case "slice": return DValue.List(a[0].Items.Skip((int)N(a[1])).Take((int)N(a[2]) - (int)N(a[1])).ToList());
            case "reverse": return DValue.List(a[0].Items.Reverse().ToList());
            case "sort": return DValue.List(a[0].Items.OrderBy(S, StringComparer.Ordinal).ToList());
            case "one": return a[0].Items.Count == 0 ? DValue.Null : a[0].Items[0];
            case "jsondecode": return JsonDocumentParser.Parse(S(a[0]), 64);
            case "base64encode": return DValue.Str(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(S(a[0]))));
            case "base64decode": return DValue.Str(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(S(a[0]))));
            case "md5": return DValue.Str(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(S(a[0])))));
            case "sha256": return DValue.Str(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(S(a[0])))));
            case "cidrsubnet": return DValue.Str(CidrSubnet(S(a[0]), (int)N(a[1]), (int)N(a[2])));
            case "uuidv5": return DValue.Str(Uuid5.Create(S(a[0]), S(a[1])));
            case "file" or "templatefile" or "timestamp" or "uuid" or "filebase64" or "fileexists":
                // Reading files and clocks is outside what a static scan may assume.
                return DValue.Unknown();
            default:
                return DValue.Unknown();
        }
    }

    /// <summary>Terraform's cidrsubnet: extends the prefix by <paramref name="newBits"/> and picks network number <paramref name="num"/>.</summary>
    internal static string CidrSubnet(string prefix, int newBits, int num)
    {
        var slash = prefix.IndexOf('/', StringComparison.Ordinal);
        var ip = IPAddress.Parse(prefix[..slash]);
        var bits = int.Parse(prefix[(slash + 1)..], CultureInfo.InvariantCulture);
        var bytes = ip.GetAddressBytes();
        var total = bytes.Length * 8;
        var newLen = bits + newBits;
        if (newLen > total || num < 0 || (newBits < 31 && num >= 1 << newBits))
        {
            throw new ArgumentException("prefix extension does not fit");
        }

        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        value |= new BigInteger(num) << (total - newLen);
        var outBytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[bytes.Length];
        Array.Copy(outBytes, 0, padded, padded.Length - outBytes.Length, outBytes.Length);
        return $"{new IPAddress(padded)}/{newLen}";
    }
}
