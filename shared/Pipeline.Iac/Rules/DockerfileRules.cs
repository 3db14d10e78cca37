using System.Text.RegularExpressions;
using Pipeline.Core.Model;
using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.Dockerfile;

namespace Pipeline.Iac.Rules;

/// <summary>Dockerfile rules; they read the parsed instructions and stages.</summary>
internal static partial class DockerfileRules
{
    private static Rule R(string id, Severity severity, string title, string description, string remediation,
        Func<DockerfileModel, IEnumerable<RuleHit>> check, string? defaultNote = null, string[]? aliases = null) =>
        Rule.Define("dockerfile", id, "image", Kinds.Dockerfile, severity, title, description, remediation,
            r => r.Payload is DockerfileModel m ? check(m) : [], defaultNote, aliases);

    [GeneratedRegex(@"(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b")]
    private static partial Regex PipeToShell();

    [GeneratedRegex(@"(?i)(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(^|[\s;&|(])sudo\s")]
    private static partial Regex Sudo();

    private static RuleHit At(DockerInstruction i, string message, bool defaulted = false) => new(message, defaulted, i.StartLine, i.EndLine);

    public static IEnumerable<Rule> All()
    {
        yield return R("DF-001", Severity.High, "Image runs as root",
            "The final stage has no USER instruction, or sets USER root, so containers run as UID 0.", "Add a USER instruction with a non-root user to the final stage.",
            RunsAsRoot, defaultNote: "Docker runs the container as root when no USER is set.", aliases: ["AVD-DS-0002", "CKV_DOCKER_3", "DS002"]);
        yield return R("DF-002", Severity.Medium, "ADD fetches a remote URL",
            "ADD downloads without verifying a checksum and keeps the archive in a layer.", "Use curl or wget with checksum verification in RUN, or ADD --checksum.",
            m => m.Instructions.Where(i => i.Command == "ADD" && Regex.IsMatch(i.Args, @"https?://") && !i.Args.Contains("--checksum", StringComparison.Ordinal))
                .Select(i => At(i, "ADD downloads a remote URL without a checksum")), aliases: ["AVD-DS-0005", "CKV_DOCKER_4", "DS005"]);
        yield return R("DF-003", Severity.Medium, "Base image is not pinned",
            "FROM uses :latest or no tag, so rebuilds pick up whatever the tag points to.", "Pin the base image to a version tag or, better, a digest.",
            Unpinned, defaultNote: "A FROM without a tag means :latest.", aliases: ["AVD-DS-0001", "CKV_DOCKER_7", "DS001"]);
        yield return R("DF-004", Severity.High, "Remote script piped to a shell",
            "curl | sh runs whatever the server returns, unverified.", "Download, verify a checksum or signature, then run.",
            m => m.Instructions.Where(i => i.Command == "RUN" && PipeToShell().IsMatch(i.Script)).Select(i => At(i, "RUN pipes a downloaded script into a shell")),
            aliases: ["CKV2_DOCKER_1"]);
        yield return R("DF-005", Severity.High, "Secret in ENV or ARG",
            "Values set by ENV and ARG are stored in the image history and visible to anyone who pulls it.", "Use build secrets (RUN --mount=type=secret) or runtime configuration.",
            Secrets, aliases: ["AVD-DS-0031", "DS031"]);
        yield return R("DF-006", Severity.Low, "Package install leaves caches behind",
            "apt-get install without removing /var/lib/apt/lists, apk add without --no-cache, or yum/dnf install without clean all bloats the image with stale indexes.",
            "Clean the package cache in the same RUN (or use apk --no-cache).", PackageCaches, aliases: ["AVD-DS-0017", "AVD-DS-0025", "DS017", "DS025"]);
        yield return R("DF-007", Severity.Low, "No HEALTHCHECK",
            "Without a HEALTHCHECK the orchestrator cannot tell a hung container from a healthy one.", "Add a HEALTHCHECK to the final stage.",
            NoHealthcheck, defaultNote: "Docker runs no health check unless HEALTHCHECK is set.", aliases: ["AVD-DS-0026", "CKV_DOCKER_2", "DS026"]);
        yield return R("DF-008", Severity.Medium, "RUN uses sudo",
            "sudo in a build step hides privilege changes and is rarely needed (builds run as root until USER).", "Drop sudo; switch USER explicitly where needed.",
            m => m.Instructions.Where(i => i.Command == "RUN" && Sudo().IsMatch(" " + i.Script)).Select(i => At(i, "RUN calls sudo")), aliases: ["AVD-DS-0010", "DS010"]);
        yield return R("DF-009", Severity.Medium, "SSH port exposed",
            "EXPOSE 22 suggests an SSH server in the container.", "Do not run SSH in containers; use docker exec or kubectl exec.",
            m => m.Instructions.Where(i => i.Command == "EXPOSE" && i.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(p => p is "22" or "22/tcp"))
                .Select(i => At(i, "EXPOSE opens port 22")), aliases: ["AVD-DS-0004", "CKV_DOCKER_1", "DS004"]);
    }

    private static IEnumerable<RuleHit> RunsAsRoot(DockerfileModel m)
    {
        if (m.Stages.Count == 0)
        {
            yield break;
        }

        var final = m.Stages[^1];
        var user = final.Instructions.LastOrDefault(i => i.Command == "USER");
        if (user is null)
        {
            if (final.Image != "scratch")
            {
                yield return At(final.From, "The final stage sets no USER, so it runs as root (the default when USER is not set)", defaulted: true);
            }
        }
        else if (user.Args.Split(':')[0].Trim() is "root" or "0")
        {
            yield return At(user, "USER sets root for the final stage");
        }
    }

    private static IEnumerable<RuleHit> Unpinned(DockerfileModel m)
    {
        var aliases = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var stage in m.Stages)
        {
            var image = stage.Image;
            if (image.Length > 0 && !aliases.Contains(image) && image != "scratch" && !image.Contains('$', StringComparison.Ordinal)
                && KubernetesRules.IsMutableImage(image, out var missing))
            {
                yield return At(stage.From, missing ? $"FROM {image} has no tag (the default when the tag is not set is :latest)" : $"FROM {image} uses the mutable latest tag", missing);
            }

            if (stage.Alias is not null)
            {
                aliases.Add(stage.Alias);
            }
        }
    }

    private static IEnumerable<RuleHit> Secrets(DockerfileModel m)
    {
        foreach (var i in m.Instructions.Where(i => i.Command is "ENV" or "ARG"))
        {
            foreach (var (name, value) in KeyValues(i.Args))
            {
                if (SecretName().IsMatch(name) && (i.Command == "ARG" || value.Length > 0))
                {
                    yield return At(i, $"{i.Command} {name} puts a secret in the image metadata");
                }
            }
        }
    }

    /// <summary>Reads "K=V K2=V2", "K V" (legacy ENV) and "NAME" (ARG without default).</summary>
    private static IEnumerable<(string Name, string Value)> KeyValues(string args)
    {
        if (!args.Contains('=', StringComparison.Ordinal))
        {
            var space = args.IndexOf(' ', StringComparison.Ordinal);
            yield return space < 0 ? (args.Trim(), string.Empty) : (args[..space], args[(space + 1)..].Trim());
            yield break;
        }

        foreach (Match kv in Regex.Matches(args, @"([A-Za-z_][A-Za-z0-9_\.\-]*)=(""[^""]*""|'[^']*'|\S*)"))
        {
            yield return (kv.Groups[1].Value, kv.Groups[2].Value.Trim('"', '\''));
        }
    }

    private static IEnumerable<RuleHit> PackageCaches(DockerfileModel m)
    {
        foreach (var i in m.Instructions.Where(i => i.Command == "RUN"))
        {
            var s = i.Script;
            if (Regex.IsMatch(s, @"apt(-get)?\s+(-\S+\s+)*install") && !s.Contains("/var/lib/apt/lists", StringComparison.Ordinal)
                && !s.Contains("type=cache", StringComparison.Ordinal))
            {
                yield return At(i, "apt-get install does not remove /var/lib/apt/lists in the same RUN");
            }
            else if (Regex.IsMatch(s, @"apk\s+(-\S+\s+)*add") && !s.Contains("--no-cache", StringComparison.Ordinal) && !s.Contains("/var/cache/apk", StringComparison.Ordinal))
            {
                yield return At(i, "apk add is used without --no-cache");
            }
            else if (Regex.IsMatch(s, @"(yum|dnf|microdnf)\s+(-\S+\s+)*install") && !Regex.IsMatch(s, @"(yum|dnf|microdnf)\s+clean\s+all"))
            {
                yield return At(i, "yum/dnf install is not followed by clean all in the same RUN");
            }
        }
    }

    private static IEnumerable<RuleHit> NoHealthcheck(DockerfileModel m)
    {
        if (m.Stages.Count == 0)
        {
            yield break;
        }

        var final = m.Stages[^1];
        if (!final.Instructions.Any(i => i.Command == "HEALTHCHECK"))
        {
            yield return At(final.From, "The final stage has no HEALTHCHECK (the default when HEALTHCHECK is not set is no health check)", defaulted: true);
        }
    }
}
