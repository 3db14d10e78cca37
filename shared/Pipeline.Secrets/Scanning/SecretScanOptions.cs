namespace Pipeline.Secrets.Scanning;

/// <summary>Which files the secret scanner reads. Defaults are in one place: the initializers below.</summary>
public sealed class SecretScanOptions
{
    /// <summary>Files larger than this are skipped.</summary>
    /// <value>The default value is 10 MiB.</value>
    public long MaxFileBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>
    /// Path globs (<see cref="PathGlob"/>) never scanned. The defaults are documentation and the test fixtures
    /// packages ship (a library's own test keys are not the image's secrets).
    /// </summary>
    public IList<string> SkipPaths { get; set; } = [.. DefaultSkipPaths];

    /// <summary>File extensions (with the dot, case-insensitive) never scanned: formats that hold no text.</summary>
    public ISet<string> SkipExtensions { get; set; } = new HashSet<string>(DefaultSkipExtensions, StringComparer.OrdinalIgnoreCase);

    /// <summary>The default <see cref="SkipPaths"/>.</summary>
    public static IReadOnlyList<string> DefaultSkipPaths { get; } =
    [
        "usr/share/doc/**", "usr/share/man/**", "usr/share/info/**", "usr/share/locale/**", "usr/share/zoneinfo/**",
        "usr/share/i18n/**", "usr/share/common-licenses/**", "usr/share/ca-certificates/**", "etc/ssl/certs/**",
        "var/lib/dpkg/info/*.md5sums", "var/cache/debconf/templates.dat*",
        "**/node_modules/**/test/**", "**/node_modules/**/tests/**", "**/node_modules/**/__tests__/**",
        "**/node_modules/**/spec/**", "**/node_modules/**/example/**", "**/node_modules/**/examples/**",
        "**/node_modules/**/fixtures/**", "**/node_modules/**/*.md", "**/node_modules/**/*.markdown",
        "**/node_modules/**/*.d.ts", "**/node_modules/**/*.map",
        "**/site-packages/**/tests/**", "**/site-packages/**/test/**", "**/dist-packages/**/tests/**",
        "**/dist-packages/**/test/**", "usr/lib/python3*/test/**", "usr/lib/python3*/**/tests/**",
        "**/testdata/**", "**/gems/*/test/**", "**/gems/*/spec/**", "usr/share/perl*/**/t/**",
        "**/.git/objects/**",
    ];

    /// <summary>The default <see cref="SkipExtensions"/>.</summary>
    public static IReadOnlyList<string> DefaultSkipExtensions { get; } =
    [
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".svgz", ".icns",
        ".gz", ".tgz", ".bz2", ".xz", ".zst", ".lz4", ".lzma", ".zip", ".7z", ".rar", ".tar", ".jar", ".war", ".ear",
        ".whl", ".egg", ".deb", ".rpm", ".apk", ".nupkg", ".gem",
        ".so", ".a", ".o", ".dll", ".exe", ".dylib", ".class", ".pyc", ".pyo", ".wasm", ".node",
        ".woff", ".woff2", ".ttf", ".otf", ".eot", ".pdf", ".mo", ".gmo", ".db", ".sqlite", ".mp3", ".mp4", ".ogg", ".wav",
        ".mov", ".avi", ".flac", ".iso", ".img", ".bin", ".dat", ".pack", ".idx", ".cache",
    ];
}
