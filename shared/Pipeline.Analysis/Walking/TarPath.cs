namespace Pipeline.Analysis.Walking;

/// <summary>
/// Normalizes tar entry names to paths inside the image root: no leading slash, no <c>.</c>, and <c>..</c>
/// resolved lexically and clamped at the root, so a hostile <c>../../etc/passwd</c> stays <c>etc/passwd</c>
/// inside the image and can never name anything outside it.
/// </summary>
public static class TarPath
{
    /// <summary>Returns the normalized path; <paramref name="escaped"/> tells whether a <c>..</c> tried to leave the root.</summary>
    public static string Normalize(string name, out bool escaped)
    {
        escaped = false;
        var parts = new List<string>();
        foreach (var seg in name.Replace('\\', '/').Split('/'))
        {
            if (seg.Length == 0 || seg == ".")
            {
                continue;
            }

            if (seg == "..")
            {
                if (parts.Count == 0)
                {
                    escaped = true;
                }
                else
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(seg);
        }

        return string.Join('/', parts);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="dir"/> or lies under it.</summary>
    public static bool IsUnder(string path, string dir) =>
        dir.Length == 0
        || path == dir
        || (path.Length > dir.Length && path[dir.Length] == '/' && path.StartsWith(dir, StringComparison.Ordinal));
}
