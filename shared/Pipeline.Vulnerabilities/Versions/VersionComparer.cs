namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// A version read once into the form its ecosystem compares (<see cref="IVersionComparer"/> works on text and so
/// parses both sides on every call). Matching parses each advisory event once per statement and the installed
/// version once per package, then compares only parsed forms.
/// </summary>
internal interface IParsedVersionComparer
{
    /// <summary>The parsed form of <paramref name="version"/>, or null when the ecosystem cannot order it.</summary>
    object? Parse(string version);

    /// <summary>Orders two values returned by <see cref="Parse"/> of this comparer, as <see cref="IVersionComparer.Compare"/> orders their texts.</summary>
    int CompareParsed(object x, object y);
}

/// <summary>
/// The shape of every ecosystem's comparer: a parser to <typeparamref name="T"/> (null for what the package
/// manager refuses) and an order on parsed values. Text comparison is the two composed.
/// </summary>
internal abstract class VersionComparer<T> : IVersionComparer, IParsedVersionComparer
    where T : class
{
    /// <summary>How error messages name the format ("dpkg", "semantic", …).</summary>
    protected abstract string Kind { get; }

    public int Compare(string a, string b) => CompareParsed(ParseOrThrow(a), ParseOrThrow(b));

    public bool IsValid(string version) => Parse(version) is not null;

    object? IParsedVersionComparer.Parse(string version) => Parse(version);

    int IParsedVersionComparer.CompareParsed(object x, object y) => CompareParsed((T)x, (T)y);

    /// <summary>The parsed version, or null when it is not one this ecosystem orders.</summary>
    internal abstract T? Parse(string version);

    /// <summary>Orders two parsed versions: negative when <paramref name="x"/> is older.</summary>
    internal abstract int CompareParsed(T x, T y);

    private T ParseOrThrow(string version) => Parse(version) ?? throw new FormatException($"Invalid {Kind} version '{version}'.");
}

/// <summary>Parsed comparison for any <see cref="IVersionComparer"/>: ours parse once; another one compares the texts.</summary>
internal static class ParsedVersions
{
    public static IParsedVersionComparer For(IVersionComparer comparer) => comparer as IParsedVersionComparer ?? new TextComparer(comparer);

    private sealed class TextComparer(IVersionComparer comparer) : IParsedVersionComparer
    {
        public object? Parse(string version) => comparer.IsValid(version) ? version : null;

        public int CompareParsed(object x, object y) => comparer.Compare((string)x, (string)y);
    }
}
