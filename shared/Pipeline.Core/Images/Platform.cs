namespace Pipeline.Core.Images;

/// <summary>An image platform, <c>os/arch[/variant]</c>.</summary>
public sealed record Platform(string Os, string Architecture, string? Variant = null)
{
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <summary>Parses <c>os/arch[/variant]</c>, as <c>--platform</c> takes it.</summary>
    public static Platform Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length switch
        {
            2 => new Platform(parts[0], parts[1]),
            3 => new Platform(parts[0], parts[1], parts[2]),
            _ => throw new FormatException($"Platform '{text}' is not os/arch[/variant]."),
        };
    }

    /// <summary>True when <paramref name="other"/> matches; a filter without a variant matches any variant.</summary>
    public bool Matches(Platform other) =>
        string.Equals(Os, other.Os, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Architecture, other.Architecture, StringComparison.OrdinalIgnoreCase)
        && (Variant is null || string.Equals(Variant, other.Variant, StringComparison.OrdinalIgnoreCase));
}
