using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Core.Model;

namespace Pipeline.Secrets.Rules;

/// <summary>
/// The rules the scanner ships with. Token shapes follow the vendors' documented formats (prefixes,
/// lengths, alphabets); keyword-anchored rules follow the names configuration files give the value.
/// </summary>
/// <remarks>
/// Every pattern is bounded (no unbounded repetition of a group that can match the same text two ways) and
/// runs with a match timeout, so hostile input costs at most the timeout per window.
/// </remarks>
public static class BuiltinSecretRules
{
    private const RegexOptions Options =
        RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Multiline;

    /// <summary>How long one pattern may run over one window before the scanner gives up on it.</summary>
    public static TimeSpan MatchTimeout { get; } = TimeSpan.FromMilliseconds(500);

    // An assignment between a key and its value: `key = v`, `key: v`, `"key": "v"`, `key => v`, `key := v`.
    private const string Assign = """["']?\s{0,8}(?::=|=>|=|:)\s{0,8}["']?""";

    // Characters that would extend a token; a match must not sit inside a longer word.
    private const string Before = "(?<![A-Za-z0-9_-])";
    private const string After = "(?![A-Za-z0-9_-])";

    private static readonly Lazy<IReadOnlyList<SecretRule>> AllRules = new(Build);

    /// <summary>All built-in rules, compiled once per process.</summary>
    public static IReadOnlyList<SecretRule> All => AllRules.Value;

    private static Regex R(string pattern) => new(pattern, Options, MatchTimeout);

    /// <summary>A self-identifying token (vendor prefix, fixed alphabet): found anywhere, no key needed.</summary>
    private static SecretRule Token(string id, string title, Severity severity, string[] keywords, string body, double minEntropy = 0) => new()
    {
        Id = id,
        Title = title,
        Severity = severity,
        Keywords = keywords,
        Pattern = R($"{Before}(?<secret>{body}){After}"),
        MinEntropy = minEntropy,
    };

    /// <summary>
    /// A token too plain to stand alone (<c>SK</c> and 32 hex digits): it counts only in a file that names
    /// <paramref name="vendor"/> somewhere, as configuration files for that vendor do.
    /// </summary>
    private static SecretRule VendorNamed(string id, string title, Severity severity, string vendor, string body) => new()
    {
        Id = id,
        Title = title,
        Severity = severity,
        Keywords = [vendor],
        RequiredKeywords = [vendor],
        MultiLine = true,
        Pattern = R($"{Before}(?<secret>{body}){After}"),
    };

    /// <summary>A rule whose pattern is written out whole (it names its own <c>secret</c> group).</summary>
    private static SecretRule Raw(string id, string title, Severity severity, string[] keywords, string pattern) => new()
    {
        Id = id,
        Title = title,
        Severity = severity,
        Keywords = keywords,
        Pattern = R(pattern),
    };

    /// <summary>A value recognized by the name it is assigned to (<c>heroku_api_key = …</c>).</summary>
    private static SecretRule Keyed(string id, string title, Severity severity, string[] keywords, string key, string value, double minEntropy = 0) => new()
    {
        Id = id,
        Title = title,
        Severity = severity,
        Keywords = keywords,
        Pattern = R($"(?i:{key}){Assign}(?<secret>{value})(?![A-Za-z0-9_/+=-])"),
        MinEntropy = minEntropy,
    };

    /// <summary>A PEM-armoured private key: the base64 body (after optional headers) is the secret.</summary>
    private static SecretRule PrivateKey(string id, string title, string label) => new()
    {
        Id = id,
        Title = title,
        Severity = Severity.High,
        Keywords = [$"begin {label.ToLowerInvariant()}"],
        MultiLine = true,
        Pattern = R(
            $@"-----BEGIN {label}-----[ \t]*\r?\n" +
            @"(?:[A-Za-z][A-Za-z0-9-]{0,40}:[^\r\n]{0,256}\r?\n){0,8}(?:[ \t]*\r?\n)?" +
            @"(?<secret>[A-Za-z0-9+/=][A-Za-z0-9+/=\r\n \t]{62,16384}?)\s{0,4}" +
            $@"-----END {label}-----"),
    };

    /// <summary>A database or broker URI with a password in its user-info part.</summary>
    private static SecretRule Uri(string id, string title, string[] schemes) => new()
    {
        Id = id,
        Title = title,
        Severity = Severity.High,
        Keywords = schemes.Select(s => s + "://").ToArray(),
        Pattern = R(
            $@"(?i:\b(?:{string.Join('|', schemes.Select(Regex.Escape))}))://" +
            @"[^\s:/@""'<>]{0,128}:(?<secret>[^\s@/""'<>]{1,256})@[A-Za-z0-9.\-\[\]_]{1,256}"),
    };

    /// <summary>
    /// A keyword-plus-assignment rule for values with no recognizable shape. The key must end in one of
    /// <paramref name="keys"/> (so <c>password_file</c> is not a password, <c>DB_PASSWORD</c> is), the value is quoted,
    /// or unquoted up to the end of the line (env files, properties, YAML), and it must look random enough.
    /// The pattern starts at the keyword, not at the key's start, so the engine can jump between keywords.
    /// </summary>
    private static SecretRule Generic(string id, string title, string[] keywords, string keys, int minLength, double minEntropy) => new()
    {
        Id = id,
        Title = title,
        Severity = Severity.Medium,
        Keywords = keywords,
        Generic = true,
        MinEntropy = minEntropy,
        Pattern = R(
            $@"(?i)(?:{keys})(?![a-z0-9_.-])[""']?\s{{0,8}}(?::=|=>|=|:)\s{{0,8}}" +
            $@"(?:""(?<secret>[^""\s]{{{minLength},128}})""|'(?<secret>[^'\s]{{{minLength},128}})'" +
            $@"|(?<secret>[A-Za-z0-9!#%&*+./:?@^_|~-]{{{minLength},128}})[;,]?[ \t]*\r?$)"),
        // A value that names the key again (urlPassword, getSecret()) is a variable, not a literal.
        Validate = v => LooksLikeValueNotCode(v) && !keywords.Any(k => v.Contains(k, StringComparison.OrdinalIgnoreCase)),
    };

    private static readonly Regex Identifier = new(
        @"^(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+|[a-z]+(?:[_-][a-z]+)*|[A-Z]+(?:_[A-Z]+)*|[a-z]+(?:[A-Z][a-z]+)+)(?:\(\))?$|^(?:/|\./|~/|https?://)",
        RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>Rejects identifiers, member paths, file paths and URLs that follow a keyword in code.</summary>
    private static bool LooksLikeValueNotCode(string value) => !Identifier.IsMatch(value);

    /// <summary>A JWT's header is base64url JSON with an <c>alg</c>.</summary>
    private static bool IsJwt(string value)
    {
        var header = value[..value.IndexOf('.', StringComparison.Ordinal)];
        return TryBase64(header, urlSafe: true) is { } bytes && Encoding.UTF8.GetString(bytes).Contains("\"alg\"", StringComparison.Ordinal);
    }

    /// <summary>A docker or podman auth is base64 of <c>user:password</c>.</summary>
    private static bool IsUserColonPassword(string value) =>
        TryBase64(value, urlSafe: false) is { } bytes && Array.IndexOf(bytes, (byte)':') is > 0 and var i && i < bytes.Length - 1;

    private static byte[]? TryBase64(string text, bool urlSafe)
    {
        var s = urlSafe ? text.Replace('-', '+').Replace('_', '/') : text;
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out var n) ? buffer[..n] : null;
    }

    /// <summary>A Google service-account key file names its type; the embedded private key is the secret.</summary>
    private static bool IsServiceAccountKey(string value)
    {
        try
        {
            return JsonDocument.Parse("\"" + value + "\"").RootElement.GetString() is { } pem && pem.Contains("PRIVATE KEY", StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static List<SecretRule> Build() =>
    [
        // Private keys, one rule per armour so reports say which kind leaked.
        PrivateKey("private-key-rsa", "RSA private key", "RSA PRIVATE KEY"),
        PrivateKey("private-key-dsa", "DSA private key", "DSA PRIVATE KEY"),
        PrivateKey("private-key-ec", "EC private key", "EC PRIVATE KEY"),
        PrivateKey("private-key-openssh", "OpenSSH private key", "OPENSSH PRIVATE KEY"),
        PrivateKey("private-key-pgp", "PGP private key block", "PGP PRIVATE KEY BLOCK"),
        PrivateKey("private-key-pkcs8", "PKCS#8 private key", "PRIVATE KEY"),
        PrivateKey("private-key-pkcs8-encrypted", "Encrypted PKCS#8 private key", "ENCRYPTED PRIVATE KEY"),
        new SecretRule
        {
            Id = "private-key-putty",
            Title = "PuTTY private key",
            Severity = Severity.High,
            Keywords = ["putty-user-key-file-"],
            MultiLine = true,
            Pattern = R(
                @"PuTTY-User-Key-File-[23]:[^\r\n]{1,64}\r?\n[\s\S]{0,16384}?Private-Lines:[ \t]{0,4}[0-9]{1,4}\r?\n" +
                @"(?<secret>[A-Za-z0-9+/=][A-Za-z0-9+/=\r\n]{30,16384}?)\r?\nPrivate-MAC:"),
        },

        // AWS. The access key id identifies itself; the secret key is only recognizable by the name it is given.
        Token("aws-access-key-id", "AWS access key ID", Severity.Critical,
            ["akia", "asia", "abia", "acca", "a3t"], "(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}"),
        Keyed("aws-secret-access-key", "AWS secret access key", Severity.Critical,
            ["secret_access_key", "secretaccesskey", "aws_secret", "aws_secret_key", "secret-access-key"],
            @"(?:aws_?|aws-)?secret[_-]?(?:access[_-]?)?key(?:[_-]?id)?", "[A-Za-z0-9/+]{40}", minEntropy: 3.5),
        new SecretRule
        {
            // Pair logic: a 40-character value assigned within a few lines of an access key id is that key's
            // secret, whatever it is called (AWS_SECRET=, secret:, password=). Hex (git hashes) stays below the entropy bar.
            Id = "aws-secret-access-key-paired",
            Title = "AWS secret access key next to its access key ID",
            Severity = Severity.Critical,
            Keywords = ["akia", "asia"],
            MultiLine = true,
            MinEntropy = 4.2,
            // Each candidate value looks for an id around it, so a rejected candidate (a git hash) never hides the next one.
            Pattern = R(
                @"(?<=[=:][ \t]{0,8}[""']?)(?<![A-Za-z0-9/+])(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])" +
                @"(?:(?<=(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])[\s\S]{0,340})|(?=[\s\S]{0,300}?(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])))"),
        },
        Keyed("aws-session-token", "AWS session token", Severity.Critical,
            ["session_token", "sessiontoken", "security_token", "session-token"],
            @"(?:aws_?)?(?:session|security)[_-]?token", "[A-Za-z0-9/+=]{100,2048}", minEntropy: 4.0),
        Token("aws-mws-key", "Amazon MWS auth token", Severity.High,
            ["amzn.mws."], @"amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),

        // Azure.
        Raw("azure-storage-account-key", "Azure storage account key in a connection string", Severity.Critical, ["accountkey="],
            @"(?i:AccountKey)=(?<secret>[A-Za-z0-9+/]{86}==)"),
        Keyed("azure-storage-key-assignment", "Azure storage account key", Severity.Critical,
            ["storage_key", "storagekey", "storage_account_key", "storageaccountkey", "account_key", "accountkey"],
            @"(?:storage_?(?:account_?)?|account_?)key", "[A-Za-z0-9+/]{86}=="),
        Raw("azure-shared-access-key", "Azure Service Bus / Event Hubs shared access key", Severity.Critical, ["sharedaccesskey="],
            @"(?i:SharedAccessKey)=(?<secret>[A-Za-z0-9+/]{43}=)"),
        new SecretRule
        {
            Id = "azure-sas-token",
            Title = "Azure shared access signature",
            Severity = Severity.High,
            Keywords = ["sig="],
            // A signature is only a SAS when the signed version (sv=) sits in the same query string.
            Pattern = R(
                @"\bsv=\d{4}-\d{2}-\d{2}[^\s""'<>]{0,512}?[?&]sig=(?<secret>[A-Za-z0-9%+/]{40,100}(?:%3D|=){0,2})" +
                @"|[?&]sig=(?<secret>[A-Za-z0-9%+/]{40,100}(?:%3D|=){0,2})[^\s""'<>]{0,512}?[?&]sv=\d{4}-\d{2}-\d{2}"),
        },
        Token("azure-entra-client-secret", "Microsoft Entra ID client secret", Severity.Critical,
            ["q~"], @"[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}", minEntropy: 3.5),
        Token("azure-devops-pat-v2", "Azure DevOps personal access token", Severity.Critical,
            ["azdo"], "[A-Za-z0-9]{52}AZDO[A-Za-z0-9]{4}"),

        // GitHub.
        Token("github-pat", "GitHub personal access token", Severity.Critical, ["ghp_"], "ghp_[0-9A-Za-z]{36}"),
        Token("github-oauth", "GitHub OAuth access token", Severity.Critical, ["gho_"], "gho_[0-9A-Za-z]{36}"),
        Token("github-user-to-server", "GitHub App user-to-server token", Severity.Critical, ["ghu_"], "ghu_[0-9A-Za-z]{36}"),
        Token("github-server-to-server", "GitHub App installation token", Severity.Critical, ["ghs_"], "ghs_[0-9A-Za-z]{36}"),
        Token("github-refresh-token", "GitHub refresh token", Severity.Critical, ["ghr_"], "ghr_[0-9A-Za-z]{36,76}"),
        Token("github-fine-grained-pat", "GitHub fine-grained personal access token", Severity.Critical,
            ["github_pat_"], "github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}"),

        // GitLab.
        Token("gitlab-pat", "GitLab personal access token", Severity.Critical, ["glpat-"], "glpat-[0-9A-Za-z_-]{20,64}"),
        Token("gitlab-deploy-token", "GitLab deploy token", Severity.High, ["gldt-"], "gldt-[0-9A-Za-z_-]{20,64}"),
        Token("gitlab-runner-token", "GitLab runner authentication token", Severity.High, ["glrt-"], "glrt-[0-9A-Za-z_-]{20,64}"),
        Token("gitlab-pipeline-trigger-token", "GitLab pipeline trigger token", Severity.High, ["glptt-"], "glptt-[0-9a-f]{40}"),
        Token("gitlab-runner-registration-token", "GitLab runner registration token", Severity.High, ["gr1348941"], "GR1348941[0-9A-Za-z_-]{20}"),
        Token("gitlab-oauth-secret", "GitLab OAuth application secret", Severity.High, ["gloas-"], "gloas-[0-9A-Za-z_-]{64}"),

        // Slack.
        Token("slack-bot-token", "Slack bot token", Severity.High, ["xoxb-"], "xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34}"),
        Token("slack-user-token", "Slack user token", Severity.High, ["xoxp-", "xoxe-"], "xox[pe](?:-[0-9]{10,13}){3}-[A-Za-z0-9]{28,34}"),
        Token("slack-app-token", "Slack app-level token", Severity.High, ["xapp-"], "xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-f0-9]{64}"),
        Token("slack-legacy-token", "Slack legacy or workspace token", Severity.High,
            ["xoxa-", "xoxo-", "xoxr-", "xoxs-"], "xox[aors]-(?:[0-9]-)?[0-9A-Za-z]{8,48}(?:-[0-9A-Za-z]{8,64}){1,4}"),
        Raw("slack-webhook", "Slack incoming webhook", Severity.Medium, ["hooks.slack.com"],
            @"https://hooks\.slack\.com/(?:services|workflows|triggers)/(?<secret>[A-Za-z0-9+/]{43,56})"),

        // Payments and commerce.
        Token("stripe-secret-key", "Stripe live secret key", Severity.Critical, ["sk_live_"], "sk_live_[0-9A-Za-z]{24,99}"),
        Token("stripe-restricted-key", "Stripe live restricted key", Severity.High, ["rk_live_"], "rk_live_[0-9A-Za-z]{24,99}"),
        Token("shopify-token", "Shopify access token or secret", Severity.High,
            ["shpat_", "shpca_", "shppa_", "shpss_"], "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"),

        // Google.
        Token("google-api-key", "Google API key", Severity.High, ["aiza"], "AIza[0-9A-Za-z_-]{35}"),
        Token("google-oauth-client-secret", "Google OAuth client secret", Severity.High, ["gocspx-"], "GOCSPX-[0-9A-Za-z_-]{28}"),
        new SecretRule
        {
            Id = "gcp-service-account-key",
            Title = "Google Cloud service-account key file",
            Severity = Severity.Critical,
            Keywords = ["service_account"],
            RequiredKeywords = ["private_key"],
            MultiLine = true,
            Pattern = R(
                @"""type""\s{0,8}:\s{0,8}""service_account""[\s\S]{0,4096}?""private_key""\s{0,8}:\s{0,8}" +
                @"""(?<secret>-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[A-Za-z0-9+/=\\\r\n ]{64,16384}?-----END [A-Z ]{0,20}PRIVATE KEY-----(?:\\n)?)"""),
            Validate = IsServiceAccountKey,
        },

        // Package registries.
        Token("npm-access-token", "npm access token", Severity.Critical, ["npm_"], "npm_[0-9A-Za-z]{36}"),
        Raw("npmrc-auth-token", "npm registry auth token in .npmrc", Severity.Critical, ["_authtoken"],
            @"_authToken\s{0,8}=\s{0,8}[""']?(?<secret>[A-Za-z0-9._~+/=-]{20,512})(?![A-Za-z0-9._~+/=-])"),
        Raw("npmrc-auth", "npm registry basic auth in .npmrc", Severity.High, ["_auth", "_password"],
            @"^\s{0,8}(?://[^\s=]{1,256}:)?_(?:auth|password)\s{0,8}=\s{0,8}[""']?(?<secret>[A-Za-z0-9+/]{12,512}={0,2})[""']?\s*$"),
        Token("nuget-api-key", "NuGet API key", Severity.Critical, ["oy2"], "oy2[a-z0-9]{43}"),
        Token("pypi-token", "PyPI upload token", Severity.Critical, ["pypi-ageichlwas5vcmc"], "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}"),
        Token("rubygems-api-key", "RubyGems API key", Severity.High, ["rubygems_"], "rubygems_[a-f0-9]{48}"),
        Token("dockerhub-pat", "Docker Hub personal access token", Severity.High, ["dckr_pat_"], "dckr_pat_[A-Za-z0-9_-]{27}"),
        Token("clojars-token", "Clojars deploy token", Severity.Medium, ["clojars_"], "CLOJARS_[a-z0-9]{60}"),

        // Tokens and client credentials in well-known files.
        new SecretRule
        {
            Id = "jwt",
            Title = "JSON Web Token",
            Severity = Severity.Medium,
            Keywords = ["eyj"],
            Pattern = R($@"{Before}(?<secret>eyJ[A-Za-z0-9_-]{{10,2048}}\.eyJ[A-Za-z0-9_-]{{10,8192}}\.[A-Za-z0-9_-]{{16,1024}}){After}"),
            Validate = IsJwt,
        },
        new SecretRule
        {
            Id = "docker-config-auth",
            Title = "Registry credentials in a docker config.json or auth.json",
            Severity = Severity.High,
            Keywords = ["\"auth\""],
            Pattern = R(@"""auth""\s{0,8}:\s{0,8}""(?<secret>[A-Za-z0-9+/]{6,4096}={0,2})"""),
            Validate = IsUserColonPassword,
        },
        new SecretRule
        {
            Id = "netrc-password",
            Title = "Password in a .netrc file",
            Severity = Severity.High,
            Keywords = ["machine"],
            MultiLine = true,
            Pattern = R(@"\bmachine[ \t]+[^\s]{1,256}(?:\s{1,16}(?:login|account|port)\s{1,16}[^\s]{1,256}){0,3}\s{1,16}password[ \t]+(?<secret>[^\s]{1,256})"),
        },
        Raw("kubeconfig-client-key", "Client private key in a kubeconfig", Severity.Critical, ["client-key-data"],
            @"client-key-data[""']?\s{0,8}:\s{0,8}[""']?(?<secret>[A-Za-z0-9+/]{64,65536}={0,2})"),
        new SecretRule
        {
            Id = "kubeconfig-token",
            Title = "Bearer token in a kubeconfig",
            Severity = Severity.Critical,
            Keywords = ["token:"],
            RequiredKeywords = ["clusters:", "users:"],
            Pattern = R(@"^\s{0,16}token:\s{0,8}[""']?(?<secret>[A-Za-z0-9._~+/=-]{20,4096})[""']?\s*$"),
            MinEntropy = 3.5,
        },

        // Messaging and email.
        VendorNamed("twilio-api-key", "Twilio API key", Severity.High, "twilio", "SK[0-9a-fA-F]{32}"),
        Keyed("twilio-auth-token", "Twilio auth token", Severity.High, ["twilio"],
            @"twilio[a-z_.-]{0,20}(?:auth)?[_-]?token", "[a-f0-9]{32}"),
        Token("sendgrid-api-key", "SendGrid API key", Severity.High, ["sg."], @"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
        Keyed("mailgun-api-key", "Mailgun API key", Severity.High, ["mailgun"],
            @"mailgun[a-z0-9_ .-]{0,25}", "key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}"),
        VendorNamed("mailchimp-api-key", "Mailchimp API key", Severity.Medium, "mailchimp", "[0-9a-f]{32}-us[0-9]{1,2}"),
        Raw("telegram-bot-token", "Telegram bot token", Severity.Medium, ["telegram"],
            @"(?i:telegram)[^\r\n]{0,64}?(?<![0-9])(?<secret>[0-9]{8,10}:AA[0-9A-Za-z_-]{33})(?![A-Za-z0-9_-])"),
        Raw("discord-bot-token", "Discord bot token", Severity.Medium, ["discord"],
            @"(?i:discord)[^\r\n]{0,64}?(?<![A-Za-z0-9_-])(?<secret>[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_-])"),

        // Platforms.
        Keyed("heroku-api-key", "Heroku API key", Severity.High, ["heroku"],
            @"heroku[a-z0-9_ .-]{0,25}", "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
        Token("heroku-api-key-v2", "Heroku platform API key", Severity.High, ["hrku-"], "HRKU-[0-9A-Za-z_-]{60}"),
        Token("digitalocean-pat", "DigitalOcean personal access token", Severity.Critical, ["dop_v1_"], "dop_v1_[a-f0-9]{64}"),
        Token("digitalocean-oauth", "DigitalOcean OAuth or refresh token", Severity.Critical, ["doo_v1_", "dor_v1_"], "do[or]_v1_[a-f0-9]{64}"),
        Token("databricks-token", "Databricks personal access token", Severity.High, ["dapi"], "dapi[a-f0-9]{32}(?:-[0-9])?"),
        Token("vault-service-token", "HashiCorp Vault service token", Severity.Critical, ["hvs."], @"hvs\.[A-Za-z0-9_-]{90,120}"),
        Token("vault-batch-token", "HashiCorp Vault batch token", Severity.Critical, ["hvb."], @"hvb\.[A-Za-z0-9_-]{138,300}"),
        Token("terraform-cloud-token", "Terraform Cloud / Enterprise API token", Severity.High, ["atlasv1"], @"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}"),
        Token("atlassian-api-token", "Atlassian API token", Severity.High, ["atatt3"], "ATATT3[A-Za-z0-9_=-]{186}"),
        Keyed("atlassian-api-token-keyed", "Atlassian (Jira/Confluence) API token", Severity.High,
            ["atlassian", "jira", "confluence"], @"(?:atlassian|jira|confluence)[a-z0-9_.-]{0,20}(?:token|api[_-]?key)", "[A-Za-z0-9]{24}", minEntropy: 3.5),
        Token("linear-api-key", "Linear API key", Severity.High, ["lin_api_"], "lin_api_[A-Za-z0-9]{40}"),
        Token("grafana-cloud-token", "Grafana Cloud API token", Severity.High, ["glc_"], "glc_[A-Za-z0-9+/]{32,400}={0,2}"),
        Token("grafana-service-account-token", "Grafana service-account token", Severity.High, ["glsa_"], "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"),
        Token("newrelic-user-key", "New Relic user API key", Severity.High, ["nrak-"], "NRAK-[A-Z0-9]{27}"),
        Token("pulumi-token", "Pulumi access token", Severity.High, ["pul-"], "pul-[a-f0-9]{40}"),
        Token("doppler-token", "Doppler service token", Severity.High, ["dp.pt."], @"dp\.pt\.[A-Za-z0-9]{43}"),
        Token("postman-api-key", "Postman API key", Severity.Medium, ["pmak-"], "PMAK-[a-f0-9]{24}-[a-f0-9]{34}"),
        Token("sentry-auth-token", "Sentry auth token", Severity.Medium, ["sntrys_", "sntryu_"], "sntry[su]_[A-Za-z0-9+/=_]{40,300}"),
        Token("huggingface-token", "Hugging Face access token", Severity.High, ["hf_"], "hf_[A-Za-z]{34}", minEntropy: 3.5),
        Token("age-secret-key", "age encryption secret key", Severity.High, ["age-secret-key-1"], "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),

        // AI providers.
        Token("openai-api-key", "OpenAI API key", Severity.Critical, ["t3blbkfj"],
            "sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,160}T3BlbkFJ[A-Za-z0-9_-]{20,160}"),
        Token("anthropic-api-key", "Anthropic API key", Severity.Critical, ["sk-ant-"], "sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA"),

        // Connection URIs.
        Uri("postgres-uri-password", "PostgreSQL connection URI with a password", ["postgres", "postgresql"]),
        Uri("mysql-uri-password", "MySQL / MariaDB connection URI with a password", ["mysql", "mariadb", "mysql+pymysql"]),
        Uri("mongodb-uri-password", "MongoDB connection URI with a password", ["mongodb", "mongodb+srv"]),
        Uri("redis-uri-password", "Redis connection URI with a password", ["redis", "rediss"]),
        Uri("amqp-uri-password", "AMQP connection URI with a password", ["amqp", "amqps"]),

        // Generic assignments: last, and yielding to any specific rule on the same value.
        Generic("generic-password", "Password assignment", ["password", "passwd", "pwd"],
            "password|passwd|pwd|db_?pass|pass_?word", minLength: 8, minEntropy: 3.0),
        Generic("generic-secret", "Secret assignment", ["secret"],
            "secret|secret_?key|client_?secret|app_?secret", minLength: 12, minEntropy: 3.5),
        Generic("generic-api-key", "API key assignment", ["api_key", "apikey", "api-key", "access_key", "accesskey"],
            "api_?key|api-key|access_?key|access-key", minLength: 16, minEntropy: 3.5),
        Generic("generic-token", "Token assignment", ["token"],
            "(?:access|auth|api|bearer|refresh|client|private)_?token", minLength: 16, minEntropy: 3.5),
    ];
}
