namespace Pipeline.TestKit;

/// <summary>
/// A real Debian bookworm root filesystem made by <c>debootstrap --variant=minbase</c>, built once and kept
/// in <see cref="TestPaths.Cache"/>. Concurrent test processes wait on a lock file rather than building twice.
/// Tests must not modify it: copy it (<see cref="CopyTo"/>) to change files.
/// </summary>
public static class DebianRoot
{
    private static readonly Lazy<string> Root = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The path of the root filesystem, building it on first use.</summary>
    public static string Path => Root.Value;

    /// <summary>Copies the root to <paramref name="destination"/> preserving modes, owners and links.</summary>
    public static void CopyTo(string destination)
    {
        Directory.CreateDirectory(destination);
        Tool.Run("cp", ["-a", Path + "/.", destination]);
    }

    private static string Build()
    {
        var root = System.IO.Path.Combine(TestPaths.Cache, "debian-bookworm-minbase");
        var done = root + ".done";
        if (File.Exists(done))
        {
            return root;
        }

        using var lockFile = AcquireLock(root + ".lock");
        if (File.Exists(done))
        {
            return root;
        }

        if (Directory.Exists(root))
        {
            Tool.Run("rm", ["-rf", root]);
        }

        var mirror = Environment.GetEnvironmentVariable("PIPELINE_DEBIAN_MIRROR") is { Length: > 0 } m ? m : "http://deb.debian.org/debian";
        Tool.Run("debootstrap", ["--variant=minbase", "bookworm", root, mirror], timeout: TimeSpan.FromMinutes(15));
        File.WriteAllText(done, DateTimeOffset.UtcNow.ToString("O"));
        return root;
    }

    private static FileStream AcquireLock(string path)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (i < 20 * 60 * 10)
            {
                Thread.Sleep(100);
            }
        }
    }
}
