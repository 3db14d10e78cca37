using System.Net.Http.Headers;
using System.Text;

namespace Pipeline.Registry.Distribution;

/// <summary>A parsed <c>WWW-Authenticate</c> challenge: the scheme and its <c>key="value"</c> parameters.</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    // Challenges are a few hundred bytes; refuse to parse a hostile multi-megabyte header.
    private const int MaxLength = 8192;

    public string? this[string key] => Parameters.GetValueOrDefault(key);

    public static AuthChallenge? From(HttpResponseMessage response)
    {
        // Prefer Bearer when a registry offers both.
        AuthChallenge? basic = null;
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            var challenge = Parse(header);
            if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return challenge;
            }

            if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                basic = challenge;
            }
        }

        return basic;
    }

    public static AuthChallenge Parse(AuthenticationHeaderValue header) => Parse(header.Scheme, header.Parameter ?? "");

    public static AuthChallenge Parse(string scheme, string parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var p = parameters.Length > MaxLength ? parameters[..MaxLength] : parameters;
        var i = 0;
        while (i < p.Length)
        {
            while (i < p.Length && (p[i] == ',' || p[i] == ' '))
            {
                i++;
            }

            var eq = p.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = p[i..eq].Trim();
            i = eq + 1;
            var value = new StringBuilder();
            if (i < p.Length && p[i] == '"')
            {
                i++;
                while (i < p.Length && p[i] != '"')
                {
                    if (p[i] == '\\' && i + 1 < p.Length)
                    {
                        i++;
                    }

                    value.Append(p[i++]);
                }

                i++;
            }
            else
            {
                while (i < p.Length && p[i] != ',')
                {
                    value.Append(p[i++]);
                }
            }

            result[key] = value.ToString().Trim();
        }

        return new AuthChallenge(scheme, result);
    }
}
