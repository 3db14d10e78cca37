namespace Pipeline.Registry.Layout;

/// <summary>Read access to the files of an OCI layout or a docker save, in a directory or inside a tar.</summary>
internal interface ILayoutFiles : IDisposable
{
    /// <summary>Opens a file by its path relative to the layout root, or returns null when it is absent.</summary>
    Stream? TryOpen(string relativePath);
}

/// <summary>A layout in a directory (<c>oci:DIR</c>).</summary>
internal sealed class DirectoryLayoutFiles(string root) : ILayoutFiles
{
    private readonly string root = Path.GetFullPath(root);

    public Stream? TryOpen(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        // Paths come from index.json and manifests; keep them inside the layout.
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            return null;
        }

        return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    public void Dispose()
    {
    }
}
