using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Secrets.Rules;

/// <summary>
/// Values that match a rule's shape but are not secrets: vendors' documented examples, template
/// placeholders, masked values and words that configuration files use as stand-ins.
/// </summary>
internal static class KnownValues
{
    // Published example values are kept as SHA-256 hashes: written out literally they would trip GitHub push
    // protection and this scanner on its own repository.
    private static readonly HashSet<string> ExampleHashes = new(StringComparer.Ordinal)
    {
        "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059", // Azurite's well-known development account key
        "7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606", // jwt.io's example token
        "78314b11be2e581549ac1c4f616563fad3fdf0c3b71678f6e2299182080e0598", // AWS documentation's example secret access key
    };

    private static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "secret", "changeme", "changeit", "admin", "root", "test", "testing", "null", "none",
        "nil", "true", "false", "undefined", "pass", "default", "guest", "letmein", "qwerty", "123456", "12345678",
        "123456789", "password1", "password123", "secret123", "mysecret", "mypassword", "yourpassword", "p@ssw0rd",
        "s3cr3t", "hunter2", "foobar", "token", "apikey", "api_key", "user", "username", "postgres", "mysql",
    };

    // Long enough that a random token contains one by chance less than once in millions ("xxxx" alone would,
    // case-insensitively, sit in about one token in thirty thousand).
    private static readonly string[] Fragments =
    [
        "example", "xxxxxxxx", "****", "....", "redacted", "placeholder", "changeme", "dummy", "your_", "your-", "<your",
        "sample", "replace_me", "replaceme", "insert_", "_here", "-here", "notasecret", "not_a_secret", "fake_", "foobar",
    ];

    private static readonly Regex Placeholder = new(
        @"^(?:\$\{[^}]{0,256}\}|\$\([^)]{0,256}\)|\$[A-Za-z_][A-Za-z0-9_]{0,128}|\{\{.{0,256}\}\}|<[^>]{0,256}>|%\(?[A-Za-z_]{0,64}\)?s|\{[A-Za-z_][A-Za-z0-9_]{0,64}\}|(.)\1{0,4096})$" +
        @"|\$\{|\{\{|%\(|\$\(|\{[A-Za-z_][A-Za-z0-9_.]{0,64}\}",
        RegexOptions.CultureInvariant | RegexOptions.Singleline, BuiltinSecretRules.MatchTimeout);

    /// <summary>True when <paramref name="value"/> is a known example or a placeholder rather than a secret.</summary>
    public static bool IsAllowed(string value)
    {
        if (value.Length == 0 || Words.Contains(value) || Placeholder.IsMatch(value))
        {
            return true;
        }

        foreach (var f in Fragments)
        {
            if (value.Contains(f, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return ExampleHashes.Contains(Convert.ToHexStringLower(hash));
    }
}
