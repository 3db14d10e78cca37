using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Secrets.Scanning;

/// <summary>
/// Salted fingerprints of secret values: stable across scans of one installation (for deduplication and
/// suppression), useless for guessing a secret elsewhere because the salt never leaves the installation.
/// </summary>
public sealed class SecretFingerprinter
{
    /// <summary>Environment variable holding the installation salt (any string; a deployment sets it from a secret store).</summary>
    public const string SaltVariable = "PIPELINE_SECRET_SALT";

    /// <summary>Prefix of every fingerprint, naming the algorithm so it can change later without ambiguity.</summary>
    public const string Prefix = "hmac-sha256:";

    private readonly byte[] _salt;

    /// <summary>A fingerprinter with an explicit salt (at least 16 bytes).</summary>
    public SecretFingerprinter(ReadOnlySpan<byte> salt)
    {
        if (salt.Length < 16)
        {
            throw new ArgumentException("The fingerprint salt must be at least 16 bytes.", nameof(salt));
        }

        _salt = salt.ToArray();
    }

    /// <summary>
    /// The installation's fingerprinter: <paramref name="salt"/> when given, else <c>$PIPELINE_SECRET_SALT</c>, else a
    /// random salt kept in <c>secret-salt</c> under <paramref name="cacheDirectory"/> (default
    /// <c>$XDG_CACHE_HOME/pipeline</c> or <c>~/.cache/pipeline</c>), created on first use with mode 0600.
    /// </summary>
    public static SecretFingerprinter Create(string? salt = null, string? cacheDirectory = null)
    {
        salt ??= Environment.GetEnvironmentVariable(SaltVariable) is { Length: > 0 } fromEnv ? fromEnv : null;
        if (salt is not null)
        {
            // Hashing makes any string (a short passphrase too) a full-length key.
            return new SecretFingerprinter(SHA256.HashData(Encoding.UTF8.GetBytes(salt)));
        }

        return FromSaltFile(cacheDirectory ?? DefaultCacheDirectory());
    }

    /// <summary>The fingerprinter whose salt is kept in <c>secret-salt</c> under <paramref name="directory"/>, ignoring the environment.</summary>
    internal static SecretFingerprinter FromSaltFile(string directory) => new(ReadOrCreateSaltFile(directory));

    /// <summary><c>hmac-sha256:</c> followed by the lower-case hex HMAC of the UTF-8 secret.</summary>
    public string Fingerprint(ReadOnlySpan<char> secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret.ToArray());
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_salt, bytes, mac);
        CryptographicOperations.ZeroMemory(bytes);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    private static string DefaultCacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "pipeline");
    }

    private static byte[] ReadOrCreateSaltFile(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "secret-salt");
        if (!File.Exists(path))
        {
            var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var tmp = path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var w = new StreamWriter(new FileStream(tmp, options)))
            {
                w.Write(fresh);
            }

            // Two processes racing both write a temp file; the first move wins and the other reads the winner's salt.
            try
            {
                File.Move(tmp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(tmp);
            }
        }

        var text = File.ReadAllText(path).Trim();
        if (text.Length < 32)
        {
            throw new InvalidDataException($"The fingerprint salt file {path} is shorter than 32 characters; delete it to make a new one.");
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }
}
