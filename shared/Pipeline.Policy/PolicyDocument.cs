using Pipeline.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Policy;

/// <summary>A webhook the pipeline notifies with a tenant's reports (delivery is the notifier's job).</summary>
public sealed record WebhookTarget(Uri Url, string? SecretName, IReadOnlyList<string> Events);

/// <summary>
/// A tenant's policy as one YAML document: the scan gate (<see cref="Policy"/>) plus what the pipeline needs
/// around it (allowed registries, webhooks). Example:
/// <code>
/// severity: [CRITICAL, HIGH]
/// ignoreUnfixed: true
/// failOn: HIGH
/// ignore:
///   - id: CVE-2023-45853
///     reason: zlib minizip is not shipped in our images
///     expires: 2025-06-30
///     purls: [pkg:deb/debian/zlib1g]
/// allowedRegistries: [myregistry.azurecr.io]
/// webhooks:
///   - url: https://hooks.example.com/scan
///     secret: webhook-secret
///     events: [scan.completed]
/// </code>
/// </summary>
public sealed record PolicyDocument
{
    public required ScanPolicy Policy { get; init; }

    public IReadOnlyList<string> AllowedRegistries { get; init; } = [];

    public IReadOnlyList<WebhookTarget> Webhooks { get; init; } = [];

    private static readonly string[] Keys = ["severity", "ignoreUnfixed", "failOn", "ignore", "allowedRegistries", "webhooks"];

    /// <summary>Parses the document; unknown keys and bad values are errors naming the line.</summary>
    /// <exception cref="FormatException">The document is malformed.</exception>
    public static PolicyDocument Load(string yaml, string source = "policy")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var root = PolicyYaml.LoadRoot(yaml, source);
        if (root is null)
        {
            return new PolicyDocument { Policy = new ScanPolicy() };
        }

        foreach (var key in root.Children.Keys)
        {
            if (!Keys.Contains(PolicyYaml.Scalar(key), StringComparer.Ordinal))
            {
                throw new FormatException($"{source} line {key.Start.Line}: unknown key '{PolicyYaml.Scalar(key)}' (expected {string.Join(", ", Keys)}).");
            }
        }

        var severities = PolicyYaml.Strings(PolicyYaml.Get(root, "severity"), source)
            .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => ParseSeverity(s, source))
            .ToList();
        var ignoreUnfixed = PolicyYaml.Get(root, "ignoreUnfixed") is YamlScalarNode { Value: { } u }
            ? bool.TryParse(u, out var b) ? b : throw new FormatException($"{source}: ignoreUnfixed must be true or false, not '{u}'.")
            : false;
        Severity? failOn = PolicyYaml.Get(root, "failOn") is YamlScalarNode { Value: { Length: > 0 } f } ? ParseSeverity(f, source) : null;
        var ignores = PolicyYaml.Get(root, "ignore") is { } ignoreNode
            ? PolicyYaml.Entries(ignoreNode, FindingKind.Any, source, reasonKey: "reason", expiresKey: "expires").ToList()
            : [];
        var webhooks = new List<WebhookTarget>();
        if (PolicyYaml.Get(root, "webhooks") is YamlSequenceNode hooks)
        {
            foreach (var hook in hooks.Children)
            {
                if (hook is not YamlMappingNode map || PolicyYaml.Get(map, "url") is not YamlScalarNode { Value: { } url }
                    || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                {
                    throw new FormatException($"{source} line {hook.Start.Line}: each webhook needs an http(s) 'url'.");
                }

                webhooks.Add(new WebhookTarget(uri, PolicyYaml.Scalar(PolicyYaml.Get(map, "secret") ?? new YamlScalarNode()), PolicyYaml.Strings(PolicyYaml.Get(map, "events"), source)));
            }
        }

        return new PolicyDocument
        {
            Policy = new ScanPolicy { Severities = severities, IgnoreUnfixed = ignoreUnfixed, FailOn = failOn, Ignores = ignores },
            AllowedRegistries = PolicyYaml.Strings(PolicyYaml.Get(root, "allowedRegistries"), source),
            Webhooks = webhooks,
        };
    }

    private static Severity ParseSeverity(string text, string source) =>
        SeverityNames.TryParse(text, out var s) ? s : throw new FormatException($"{source}: '{text}' is not a severity (UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL).");
}
