namespace Pipeline.Policy;

/// <summary>Reads the small documents policy takes (ignore files, VEX) with a size bound and a clear error.</summary>
internal static class BoundedFile
{
    public static string ReadAllText(string path, long maxBytes, string what)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{what} '{path}' does not exist.", path);
        }

        return info.Length > maxBytes
            ? throw new FormatException($"{what} '{path}' is {info.Length} bytes, over the {maxBytes}-byte limit.")
            : File.ReadAllText(path);
    }
}
