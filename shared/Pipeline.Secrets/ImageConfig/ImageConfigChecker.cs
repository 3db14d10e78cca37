using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Secrets.Rules;
using Pipeline.Secrets.Scanning;

namespace Pipeline.Secrets.ImageConfig;

/// <summary>
/// Checks an image's configuration and history: who it runs as, what it exposes, where its base came from,
/// what its build left in <c>ENV</c>, labels and build arguments, and which special files its own layers added.
/// A pure function of its input: no I/O, same input, same answer.
/// </summary>
public sealed class ImageConfigChecker
{
    /// <summary>Rule ids and titles, in one place so reports and documentation agree.</summary>
    public static class RuleIds
    {
        public const string RunsAsRoot = "IMG001";
        public const string AddFromUrl = "IMG003";
        public const string NoHealthcheck = "IMG004";
        public const string AdministrativePort = "IMG005";
        public const string UnpinnedBase = "IMG006";
        public const string BaseRegistryNotAllowed = "IMG007";
        public const string SetuidFile = "IMG008";
        public const string WorldWritableFile = "IMG009";
        public const string SudoInBuild = "IMG010";
        public const string PipeToShell = "IMG011";

        /// <summary>Secret rule id for an <c>ENV</c>, label or build argument whose name says it holds a secret.</summary>
        public const string SensitiveVariable = "image-sensitive-variable";
    }

    private const string BaseNameAnnotation = "org.opencontainers.image.base.name";
    private const string BaseDigestAnnotation = "org.opencontainers.image.base.digest";

    private static readonly TimeSpan Timeout = BuiltinSecretRules.MatchTimeout;

    // Names that say their value is a secret. GPG/PGP/public keys are published fingerprints (python's GPG_KEY).
    private static readonly Regex SensitiveName = new(
        @"(?:^|[_.-])(?:PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API[_.-]?KEY|ACCESS[_.-]?KEY|PRIVATE[_.-]?KEY|SECRET[_.-]?KEY|CREDENTIALS?|KEY)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex PublicName = new(@"(?:GPG|PGP|PUBLIC|PUB)[_.-]?KEYS?$|^KEY$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    // BuildKit records `RUN |2 A=1 B=2 /bin/sh -c …`: the count, then that many build arguments.
    private static readonly Regex BuildArgs = new(@"^\s*(?:RUN\s+)?\|(?<n>[0-9]{1,3})\s+(?<rest>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex ArgOrEnv = new(
        @"(?:^|#\(nop\)\s+)(?:ARG|ENV)\s+(?<name>[A-Za-z_][A-Za-z0-9_]{0,128})=(?<value>""[^""]{0,4096}""|\S{1,4096})",
        RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex AddUrl = new(
        @"(?:^|\s|#\(nop\)\s+)ADD\s+(?:--[a-z-]+(?:=\S+)?\s+){0,8}(?:\[\s*"")?(?<url>https?://[^\s""]{1,2048})",
        RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex Sudo = new(@"(?:^|[\s;&|(])sudo\s", RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex PipeShell = new(
        @"\b(?:curl|wget)\b[^|;&\n]{0,1024}\|\s*(?:sudo\s+)?(?:/usr)?(?:/bin/)?(?:ba|da|z|k|a)?sh\b",
        RegexOptions.CultureInvariant, Timeout);

    private readonly SecretScanner _scanner;
    private readonly ImageConfigOptions _options;

    /// <summary>Creates the checker; <paramref name="scanner"/> runs the secret rules over ENV, labels and history.</summary>
    public ImageConfigChecker(SecretScanner scanner, ImageConfigOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        _scanner = scanner;
        _options = options ?? new ImageConfigOptions();
    }

    /// <summary>Runs every check over <paramref name="input"/>.</summary>
    public ImageConfigResult Check(ImageConfigInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = new ImageConfigResult();
        var config = input.Config.Config;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        CheckUser(config?.User, result);
        CheckHealthcheck(config?.Healthcheck?.Test, result);
        CheckPorts(config?.ExposedPorts?.Keys, result);
        CheckBase(input.Annotations, result);

        var env = config?.Env ?? [];
        for (var i = 0; i < env.Count; i++)
        {
            var eq = env[i].IndexOf('=', StringComparison.Ordinal);
            var (name, value) = eq < 0 ? (env[i], string.Empty) : (env[i][..eq], env[i][(eq + 1)..]);
            AddSecrets("config.Env", i + 1, name, value, env[i], seen, result);
        }

        var labels = config?.Labels?.OrderBy(l => l.Key, StringComparer.Ordinal).ToList() ?? [];
        for (var i = 0; i < labels.Count; i++)
        {
            AddSecrets("config.Labels", i + 1, labels[i].Key, labels[i].Value, $"{labels[i].Key}={labels[i].Value}", seen, result);
        }

        var history = input.Config.History ?? [];
        for (var i = 0; i < history.Count; i++)
        {
            CheckHistory(i, history[i].CreatedBy ?? string.Empty, seen, result);
        }

        CheckSpecialFiles(input, result);
        return result;
    }

    private void CheckUser(string? user, ImageConfigResult result)
    {
        var name = (user ?? string.Empty).Trim();
        var uid = name.Split(':')[0];
        if (name.Length == 0 || uid is "0" or "root")
        {
            result.Misconfigurations.Add(Finding(RuleIds.RunsAsRoot, "Image runs as root", Severity.High, "config.User", "config",
                name.Length == 0 ? "The image sets no USER, so its processes run as root." : $"The image's USER is '{name}', which is root.",
                "Add a USER instruction with a non-root user (a numeric UID such as 10001 works with runAsNonRoot)."));
        }
    }

    private static void CheckHealthcheck(List<string>? test, ImageConfigResult result)
    {
        if (test is null || test.Count == 0 || string.Equals(test[0], "NONE", StringComparison.OrdinalIgnoreCase))
        {
            result.Misconfigurations.Add(Finding(RuleIds.NoHealthcheck, "Image has no HEALTHCHECK", Severity.Low, "config.Healthcheck", "config",
                "The image defines no HEALTHCHECK, so a hung process is not detected by the runtime.",
                "Add a HEALTHCHECK instruction (or rely on the orchestrator's probes and note it in the policy)."));
        }
    }

    private void CheckPorts(IEnumerable<string>? ports, ImageConfigResult result)
    {
        foreach (var port in ports ?? [])
        {
            var number = port.Split('/')[0];
            if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && _options.AdministrativePorts.Contains(p))
            {
                result.Misconfigurations.Add(Finding(RuleIds.AdministrativePort, "Administrative port exposed", Severity.High,
                    $"config.ExposedPorts[{port}]", "config",
                    $"The image exposes port {port}, an administrative service (SSH, Telnet, Docker API, RDP or VNC).",
                    "Do not run administrative services in application images; use the orchestrator's exec or a bastion."));
            }
        }
    }

    private void CheckBase(IReadOnlyDictionary<string, string> annotations, ImageConfigResult result)
    {
        if (!annotations.TryGetValue(BaseNameAnnotation, out var baseName) || string.IsNullOrWhiteSpace(baseName))
        {
            return;
        }

        if (!Registry.ImageReference.TryParse(baseName.Trim(), out var reference) || reference is null)
        {
            // Not a reference any registry would serve: it cannot be pinned, and it is from no allowed registry.
            if (_options.AllowedRegistries.Count > 0)
            {
                result.Misconfigurations.Add(Finding(RuleIds.BaseRegistryNotAllowed, "Base image from a registry outside the allow-list", Severity.High,
                    BaseNameAnnotation, "config",
                    $"The base image '{baseName}' is not a valid image reference, so it cannot be from one of the allowed registries ({string.Join(", ", _options.AllowedRegistries)}).",
                    "Build from a base image mirrored into an allowed registry, and let the build tool write the annotation."));
            }

            return;
        }

        if (reference.Digest is null && (!reference.TagGiven || reference.Tag == "latest"))
        {
            var recorded = annotations.ContainsKey(BaseDigestAnnotation) ? " (the build recorded which digest it got, but a rebuild may get another)" : string.Empty;
            result.Misconfigurations.Add(Finding(RuleIds.UnpinnedBase, "Base image is not pinned", Severity.Medium, BaseNameAnnotation, "config",
                $"The base image '{baseName}' is {(reference.TagGiven ? "tagged latest" : "untagged")}{recorded}.",
                "Build FROM a specific version tag, better a digest (image@sha256:…), and update it deliberately."));
        }

        if (_options.AllowedRegistries.Count > 0 && !_options.AllowedRegistries.Any(reference.IsUnder))
        {
            result.Misconfigurations.Add(Finding(RuleIds.BaseRegistryNotAllowed, "Base image from a registry outside the allow-list", Severity.High,
                BaseNameAnnotation, "config",
                $"The base image '{baseName}' comes from {reference.Registry}, which is not among the allowed registries ({string.Join(", ", _options.AllowedRegistries)}).",
                "Build from a base image mirrored into an allowed registry."));
        }
    }

    private void CheckHistory(int index, string createdBy, HashSet<string> seen, ImageConfigResult result)
    {
        var file = $"history[{index}]";
        foreach (var f in _scanner.ScanText(file, createdBy))
        {
            AddSecret(f, seen, result);
        }

        if (BuildArgs.Match(createdBy) is { Success: true } args)
        {
            var n = int.Parse(args.Groups["n"].Value, CultureInfo.InvariantCulture);
            foreach (var token in args.Groups["rest"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(n))
            {
                var eq = token.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    AddSensitive(file, 1, token[..eq], token[(eq + 1)..], "build argument", seen, result);
                }
            }
        }

        foreach (Match m in ArgOrEnv.Matches(createdBy))
        {
            AddSensitive(file, 1, m.Groups["name"].Value, m.Groups["value"].Value.Trim('"'), "build instruction", seen, result);
        }

        if (AddUrl.Match(createdBy) is { Success: true } add)
        {
            result.Misconfigurations.Add(Finding(RuleIds.AddFromUrl, "ADD from a URL", Severity.Medium, file, file,
                $"The build downloads {Redaction.Mask(add.Groups["url"].Value, UserInfo(add.Groups["url"].Value))} with ADD: no checksum, and the content can change between builds.",
                "Download with curl or wget and verify a checksum, or use ADD --checksum=sha256:…"));
        }

        if (Sudo.IsMatch(createdBy))
        {
            result.Misconfigurations.Add(Finding(RuleIds.SudoInBuild, "sudo used in the build", Severity.Medium, file, file,
                "A build step runs or installs sudo: the image likely ships sudo and a user allowed to become root.",
                "Run privileged steps before USER switches to the unprivileged user, and do not install sudo."));
        }

        if (PipeShell.IsMatch(createdBy))
        {
            result.Misconfigurations.Add(Finding(RuleIds.PipeToShell, "Downloaded script piped to a shell", Severity.Medium, file, file,
                "A build step pipes curl or wget output into a shell: whatever the server returns at build time runs as root.",
                "Download the script, verify its checksum or signature, then run it."));
        }
    }

    private static string UserInfo(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = url.IndexOf('@', scheme);
        var slash = url.IndexOf('/', scheme);
        return at > scheme && (slash < 0 || at < slash) ? url[scheme..at] : string.Empty;
    }

    private void AddSecrets(string path, int line, string name, string value, string text, HashSet<string> seen, ImageConfigResult result)
    {
        foreach (var f in _scanner.ScanText(path, text))
        {
            AddSecret(f with { Line = line }, seen, result);
        }

        AddSensitive(path, line, name, value, path == "config.Labels" ? "label" : "environment variable", seen, result);
    }

    private void AddSensitive(string path, int line, string name, string value, string kind, HashSet<string> seen, ImageConfigResult result)
    {
        if (!SensitiveName.IsMatch(name) || PublicName.IsMatch(name) || value.Length < 4 || KnownValues.IsAllowed(value) ||
            value.StartsWith('/') || value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        AddSecret(_scanner.CreateFinding(RuleIds.SensitiveVariable, $"Secret in {kind} {name}", Severity.High, path, line, value), seen, result);
    }

    /// <summary>One finding per secret value across the whole config: an ENV value also visible in history is reported once.</summary>
    private static void AddSecret(SecretFinding finding, HashSet<string> seen, ImageConfigResult result)
    {
        if (seen.Add(finding.Fingerprint))
        {
            result.Secrets.Add(finding);
        }
    }

    private void CheckSpecialFiles(ImageConfigInput input, ImageConfigResult result)
    {
        var app = input.SpecialFiles
            .Where(f => input.ApplicationLayers is null || (f.Layer is not null && input.ApplicationLayers.Contains(f.Layer)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        AddFileFindings(app.Where(f => f.IsSetuid || f.IsSetgid).ToList(), RuleIds.SetuidFile, "Setuid or setgid file added by the application",
            Severity.High, f => $"{f.Path} has the {(f.IsSetuid ? "setuid" : "setgid")} bit (mode {Octal(f.Mode)}): it runs with its owner's privileges.",
            "Remove the setuid/setgid bit (chmod u-s,g-s) unless the program must change privileges.", result);
        AddFileFindings(app.Where(f => f.IsWorldWritable).ToList(), RuleIds.WorldWritableFile, "World-writable file added by the application",
            Severity.Medium, f => $"{f.Path} is writable by every user (mode {Octal(f.Mode)}).",
            "Remove write permission for others (chmod o-w).", result);
    }

    private void AddFileFindings(List<Core.Analysis.FileFact> files, string ruleId, string title, Severity severity,
        Func<Core.Analysis.FileFact, string> message, string remediation, ImageConfigResult result)
    {
        foreach (var f in files.Take(_options.MaxFileFindings))
        {
            result.Misconfigurations.Add(Finding(ruleId, title, severity, f.Layer ?? string.Empty, f.Path, message(f), remediation));
        }

        if (files.Count > _options.MaxFileFindings)
        {
            result.Misconfigurations.Add(Finding(ruleId, title, severity, string.Empty, "config",
                $"{files.Count - _options.MaxFileFindings} more files like these are not listed.", remediation));
        }
    }

    private static string Octal(int mode) => Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0');

    private static Misconfiguration Finding(string id, string title, Severity severity, string resource, string file, string message, string remediation) => new()
    {
        RuleId = id,
        Title = title,
        Severity = severity,
        Provider = "image",
        Service = "config",
        Resource = resource,
        File = file,
        Message = message,
        Remediation = remediation,
    };
}
