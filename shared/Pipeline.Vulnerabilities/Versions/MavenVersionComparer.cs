namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// Maven's <c>ComparableVersion</c> (maven-artifact): items split on <c>.</c>, <c>-</c> and digit/letter
/// transitions, <c>-</c> opening a sub-list; trailing null items (0, "", ga, final, release) dropped;
/// qualifiers ordered alpha &lt; beta &lt; milestone &lt; rc = cr &lt; snapshot &lt; "" = ga = final = release &lt; sp,
/// unknown qualifiers after them in lexical order; <c>a1</c>, <c>b1</c>, <c>m1</c> read as alpha/beta/milestone.
/// </summary>
internal sealed class MavenVersionComparer : VersionComparer<MavenVersionComparer.Item>
{
    public static readonly MavenVersionComparer Instance = new();

    private static readonly string[] Qualifiers = ["alpha", "beta", "milestone", "rc", "snapshot", string.Empty, "sp"];
    private static readonly string ReleaseIndex = Array.IndexOf(Qualifiers, string.Empty).ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override string Kind => "Maven";

    internal override int CompareParsed(Item x, Item y) => x.CompareTo(y);

    /// <summary>Every string is a Maven version; an empty one is refused because no release is named that.</summary>
    internal override Item? Parse(string text)
    {
        var version = text.Trim().ToLowerInvariant();
        if (version.Length == 0)
        {
            return null;
        }

        var root = new ListItem();
        var list = root;
        var stack = new Stack<ListItem>();
        stack.Push(list);
        var isDigit = false;
        var start = 0;
        for (var i = 0; i < version.Length; i++)
        {
            var c = version[i];
            if (c is '.' or '-')
            {
                list.Items.Add(i == start ? new IntItem("0") : ParseItem(isDigit, version[start..i]));
                start = i + 1;
                if (c == '-')
                {
                    list = Push(list, stack);
                }
            }
            else if (char.IsAsciiDigit(c))
            {
                if (!isDigit && i > start)
                {
                    // 1.0alpha1 => [1, 0, alpha, [1]]: a letter run followed by a digit.
                    list.Items.Add(new StringItem(version[start..i], followedByDigit: true));
                    start = i;
                    list = Push(list, stack);
                }

                isDigit = true;
            }
            else
            {
                if (isDigit && i > start)
                {
                    list.Items.Add(ParseItem(isDigit: true, version[start..i]));
                    start = i;
                    list = Push(list, stack);
                }

                isDigit = false;
            }
        }

        if (version.Length > start)
        {
            list.Items.Add(ParseItem(isDigit, version[start..]));
        }

        while (stack.Count > 0)
        {
            stack.Pop().Normalize();
        }

        return root;
    }

    private static ListItem Push(ListItem parent, Stack<ListItem> stack)
    {
        var child = new ListItem();
        parent.Items.Add(child);
        stack.Push(child);
        return child;
    }

    private static Item ParseItem(bool isDigit, string text) => isDigit ? new IntItem(text) : new StringItem(text, followedByDigit: false);

    internal abstract class Item
    {
        public abstract bool IsNull { get; }

        public abstract int CompareTo(Item? other);
    }

    private sealed class IntItem(string digits) : Item
    {
        private readonly string value = digits.TrimStart('0');

        public override bool IsNull => value.Length == 0;

        public override int CompareTo(Item? other) => other switch
        {
            null => IsNull ? 0 : 1, // 1.0 == 1, 1.1 > 1
            IntItem i => SemVerComparer.CompareNumeric(value, i.value),
            _ => 1, // 1.1 > 1-sp, 1.1 > 1-1
        };
    }

    private sealed class StringItem : Item
    {
        private readonly string value;

        public StringItem(string text, bool followedByDigit)
        {
            if (followedByDigit && text.Length == 1)
            {
                text = text[0] switch { 'a' => "alpha", 'b' => "beta", 'm' => "milestone", _ => text };
            }

            value = text switch { "ga" or "final" or "release" => string.Empty, "cr" => "rc", _ => text };
        }

        public override bool IsNull => string.CompareOrdinal(Comparable(value), ReleaseIndex) == 0;

        public override int CompareTo(Item? other) => other switch
        {
            null => Math.Sign(string.CompareOrdinal(Comparable(value), ReleaseIndex)), // 1-rc < 1, 1-sp > 1
            StringItem s => Math.Sign(string.CompareOrdinal(Comparable(value), Comparable(s.value))),
            _ => -1, // 1.any < 1.1, 1.any < 1-1
        };

        private static string Comparable(string q)
        {
            var i = Array.IndexOf(Qualifiers, q);
            return i == -1 ? Qualifiers.Length + "-" + q : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private sealed class ListItem : Item
    {
        public List<Item> Items { get; } = [];

        public override bool IsNull => Items.Count == 0;

        public void Normalize()
        {
            for (var i = Items.Count - 1; i >= 0; i--)
            {
                if (Items[i].IsNull)
                {
                    Items.RemoveAt(i); // trailing 0, "", empty list
                }
                else if (Items[i] is not ListItem)
                {
                    break;
                }
            }
        }

        public override int CompareTo(Item? other)
        {
            switch (other)
            {
                case null:
                    // MNG-6964: compare every item with null, not only the first.
                    foreach (var item in Items)
                    {
                        var r = item.CompareTo(null);
                        if (r != 0)
                        {
                            return r;
                        }
                    }

                    return 0;
                case IntItem:
                    return -1; // 1-1 < 1.0.x
                case StringItem:
                    return 1; // 1-1 > 1-sp
                case ListItem l:
                    for (var i = 0; i < Math.Max(Items.Count, l.Items.Count); i++)
                    {
                        var left = i < Items.Count ? Items[i] : null;
                        var right = i < l.Items.Count ? l.Items[i] : null;
                        var r = left is null ? (right is null ? 0 : -right.CompareTo(null)) : left.CompareTo(right);
                        if (r != 0)
                        {
                            return r;
                        }
                    }

                    return 0;
                default:
                    throw new InvalidOperationException("Unknown Maven version item.");
            }
        }
    }
}
