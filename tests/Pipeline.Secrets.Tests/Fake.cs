using System.Text;
using Pipeline.Secrets.Scanning;

namespace Pipeline.Secrets.Tests;

/// <summary>
/// Builds secret-shaped test values at run time from a seeded generator. No real-looking secret is written
/// literally in this repository: GitHub push protection would block the push, and this scanner would flag
/// its own sources. Every value here is a prefix fragment concatenated with generated characters.
/// </summary>
internal static class Fake
{
    public const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string Lower = "abcdefghijklmnopqrstuvwxyz";
    public const string Digits = "0123456789";
    public const string Hex = "0123456789abcdef";
    public const string Alnum = Upper + Lower + Digits;
    public const string LowerAlnum = Lower + Digits;
    public const string UpperAlnum = Upper + Digits;
    public const string Base64Chars = Alnum + "+/";
    public const string UrlSafe = Alnum + "_-";

    private static readonly Random Rng = new(20261123);
    private static readonly object Gate = new();

    public static string Of(string alphabet, int length)
    {
        lock (Gate)
        {
            var sb = new StringBuilder(length);
            for (var i = 0; i < length; i++)
            {
                sb.Append(alphabet[Rng.Next(alphabet.Length)]);
            }

            return sb.ToString();
        }
    }

    public static string Alnums(int n) => Of(Alnum, n);

    public static string Hexes(int n) => Of(Hex, n);

    public static string Guid() => $"{Hexes(8)}-{Hexes(4)}-{Hexes(4)}-{Hexes(4)}-{Hexes(12)}";

    public static byte[] Bytes(int n)
    {
        lock (Gate)
        {
            var b = new byte[n];
            Rng.NextBytes(b);
            return b;
        }
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A PEM block with a random body of <paramref name="lines"/> 64-character lines.</summary>
    public static string Pem(string label, int lines = 12, string headers = "")
    {
        var body = Convert.ToBase64String(Bytes(48 * lines));
        var sb = new StringBuilder("-----BEGIN " + label + "-----\n" + headers);
        for (var i = 0; i < body.Length; i += 64)
        {
            sb.Append(body.AsSpan(i, Math.Min(64, body.Length - i))).Append('\n');
        }

        return sb.Append("-----END " + label + "-----\n").ToString();
    }

    /// <summary>A fingerprinter with a fixed test salt, so tests never touch the user's salt file.</summary>
    public static SecretFingerprinter Fingerprinter { get; } = SecretFingerprinter.Create(salt: "pipeline-tests-salt");

    public static SecretScanner Scanner { get; } = new(fingerprinter: Fingerprinter);

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
