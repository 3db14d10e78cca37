namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// Orders the versions of one ecosystem exactly as its package manager does. Implementations are stateless
/// and thread-safe.
/// </summary>
public interface IVersionComparer
{
    /// <summary>
    /// Negative when <paramref name="a"/> is older than <paramref name="b"/>, zero when they are the same
    /// version, positive when newer. Throws <see cref="FormatException"/> when either is not a valid version
    /// (check with <see cref="IsValid"/> first when the input is untrusted).
    /// </summary>
    int Compare(string a, string b);

    /// <summary>True when <paramref name="version"/> is a version this ecosystem can order.</summary>
    bool IsValid(string version);
}
