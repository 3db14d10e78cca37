using System.Text.RegularExpressions;
using Pipeline.Core.Model;
using Pipeline.Iac.Model;
using static Pipeline.Iac.Rules.Hits;

namespace Pipeline.Iac.Rules;

/// <summary>Kubernetes workload rules (pod and container security settings).</summary>
internal static partial class KubernetesRules
{
    private static Rule R(string id, string kind, Severity severity, string title, string description, string remediation,
        Func<ModelResource, IEnumerable<RuleHit>> check, string? defaultNote = null, string[]? aliases = null) =>
        Rule.Define("kubernetes", id, "workloads", kind, severity, title, description, remediation, check, defaultNote, aliases);

    private static readonly HashSet<string> DangerousCaps = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "NET_RAW", "DAC_READ_SEARCH", "SYS_RAWIO", "BPF",
    };

    [GeneratedRegex(@"(?i)(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)")]
    private static partial Regex SecretName();

    public static IEnumerable<Rule> All()
    {
        var c = Kinds.K8sContainer;
        var p = Kinds.K8sPod;
        yield return R("K8S-001", c, Severity.Critical, "Container runs privileged",
            "A privileged container has every capability and access to the host's devices.", "Set securityContext.privileged to false.",
            r => WhenTrue(r, "privileged", $"Container {r.Address} is privileged"), aliases: ["AVD-KSV-0017", "CKV_K8S_16", "KSV017"]);
        yield return R("K8S-002", c, Severity.Medium, "Container may run as root",
            "Neither runAsNonRoot nor a non-zero runAsUser is set, so the container runs as root unless the image says otherwise.",
            "Set securityContext.runAsNonRoot to true (container or pod level).",
            r => RunsAsRoot(r), defaultNote: "Without runAsNonRoot the image's user applies, which is root for most images.", aliases: ["AVD-KSV-0012", "CKV_K8S_23", "KSV012"]);
        yield return R("K8S-003", c, Severity.Medium, "Container allows privilege escalation",
            "A process can gain more privileges than its parent (setuid binaries, file capabilities).", "Set securityContext.allowPrivilegeEscalation to false.",
            r => WhenTrue(r, "allowPrivilegeEscalation", $"Container {r.Address} allows privilege escalation"),
            defaultNote: "allowPrivilegeEscalation is true when unset.", aliases: ["AVD-KSV-0001", "CKV_K8S_20", "KSV001"]);
        yield return R("K8S-004", c, Severity.Low, "Container root filesystem is writable",
            "A writable root filesystem lets an attacker persist tools and change binaries.", "Set securityContext.readOnlyRootFilesystem to true.",
            r => WhenFalse(r, "readOnlyRootFilesystem", $"Container {r.Address} has a writable root filesystem"),
            defaultNote: "readOnlyRootFilesystem is false when unset.", aliases: ["AVD-KSV-0014", "CKV_K8S_22", "KSV014"]);
        yield return R("K8S-005", c, Severity.Low, "Container does not drop all capabilities",
            "The runtime's default capabilities (NET_RAW, CHOWN, SETUID, ...) remain available.", "Drop ALL capabilities and add back only what is needed.",
            r => DropAll(r), defaultNote: "The runtime's default capability set is kept unless dropped.", aliases: ["AVD-KSV-0003", "CKV_K8S_28", "KSV003"]);
        yield return R("K8S-006", c, Severity.High, "Container adds dangerous capabilities",
            "Capabilities such as SYS_ADMIN, NET_ADMIN or ALL let the container escape or attack the node.", "Remove the capability from capabilities.add.",
            r => DangerousAdd(r), aliases: ["AVD-KSV-0005", "CKV_K8S_39", "KSV005"]);
        yield return R("K8S-007", p, Severity.High, "Pod uses the host network",
            "The pod shares the node's network namespace and can reach every host interface.", "Remove hostNetwork: true.",
            r => WhenTrue(r, "hostNetwork", $"{r.Address} uses the host network"), aliases: ["AVD-KSV-0009", "CKV_K8S_19", "KSV009"]);
        yield return R("K8S-008", p, Severity.High, "Pod shares the host PID namespace",
            "The pod sees and can signal every process on the node.", "Remove hostPID: true.",
            r => WhenTrue(r, "hostPID", $"{r.Address} shares the host PID namespace"), aliases: ["AVD-KSV-0010", "CKV_K8S_17", "KSV010"]);
        yield return R("K8S-009", p, Severity.High, "Pod shares the host IPC namespace",
            "The pod can read shared memory of host processes.", "Remove hostIPC: true.",
            r => WhenTrue(r, "hostIPC", $"{r.Address} shares the host IPC namespace"), aliases: ["AVD-KSV-0008", "CKV_K8S_18", "KSV008"]);
        yield return R("K8S-010", p, Severity.Medium, "Pod mounts a host path",
            "A hostPath volume exposes the node's filesystem to the pod.", "Use other volume types (emptyDir, PVCs, ConfigMaps).",
            r => HostPaths(r), aliases: ["AVD-KSV-0023", "KSV023"]);
        yield return R("K8S-011", c, Severity.Low, "Container has no CPU or memory limit",
            "Without limits one container can starve the node.", "Set resources.limits.cpu and resources.limits.memory.",
            r => WhenEmpty(r, "cpuLimit", $"Container {r.Address} has no CPU limit").Concat(WhenEmpty(r, "memoryLimit", $"Container {r.Address} has no memory limit")),
            defaultNote: "Containers have no limits unless set or added by a LimitRange.", aliases: ["AVD-KSV-0011", "AVD-KSV-0018", "CKV_K8S_11", "CKV_K8S_13"]);
        yield return R("K8S-012", c, Severity.Medium, "Container image tag is mutable",
            "An image referenced by :latest or without a tag can change under the same name.", "Pin the image to a specific version tag or a digest.",
            r => MutableImage(r), aliases: ["AVD-KSV-0013", "CKV_K8S_14", "KSV013"]);
        yield return R("K8S-013", c, Severity.High, "Secret value in an environment variable literal",
            "A credential written as an env value ends up in the manifest, in etcd and in every describe output.", "Read it from a Secret with valueFrom.secretKeyRef.",
            r => EnvSecrets(r), aliases: ["CKV_K8S_35"]);
        yield return R("K8S-014", c, Severity.Low, "Container runs without a seccomp profile",
            "System calls are not filtered.", "Set seccompProfile.type to RuntimeDefault.",
            r => WhenString(r, "seccomp", v => v.Equals("Unconfined", StringComparison.OrdinalIgnoreCase), $"Container {r.Address} runs Unconfined"),
            defaultNote: "Containers run Unconfined unless a seccomp profile is set.", aliases: ["AVD-KSV-0030", "CKV_K8S_31", "KSV030"]);
        yield return R("K8S-015", c, Severity.Medium, "Container binds a host port",
            "A hostPort opens the port on the node and bypasses network policies.", "Use a Service instead of hostPort.",
            r => HostPorts(r), aliases: ["AVD-KSV-0024", "CKV_K8S_26", "KSV024"]);
        yield return R("K8S-016", p, Severity.Low, "Service account token is mounted automatically",
            "Every container gets an API token it may not need.", "Set automountServiceAccountToken to false unless the pod calls the API.",
            r => WhenTrue(r, "automountToken", $"{r.Address} mounts a service account token"),
            defaultNote: "The token is mounted unless automountServiceAccountToken is false.", aliases: ["AVD-KSV-0036", "CKV_K8S_38"]);
    }

    private static IEnumerable<RuleHit> RunsAsRoot(ModelResource r)
    {
        var nonRoot = r.Bool("runAsNonRoot");
        var user = r.Num("runAsUser");
        if (user.IsKnown && user.Value > 0)
        {
            yield break;
        }

        if (user.IsKnown && user.Value == 0)
        {
            yield return Hits.At(user, $"Container {r.Address} runs as UID 0");
            yield break;
        }

        if (nonRoot.IsKnown && !nonRoot.Value && user.Origin != ValueOrigin.Unresolved)
        {
            yield return Hits.At(nonRoot, $"Container {r.Address} may run as root");
        }
    }

    private static IEnumerable<RuleHit> DropAll(ModelResource r)
    {
        var drop = r.Get("capDrop");
        if (drop.IsKnown && drop.Value is not null && !drop.Value.AsList().Any(d => d.TryString() is { } s && s.Equals("ALL", StringComparison.OrdinalIgnoreCase)))
        {
            yield return Hits.At(drop, $"Container {r.Address} does not drop ALL capabilities");
        }
    }

    private static IEnumerable<RuleHit> DangerousAdd(ModelResource r)
    {
        var add = r.Get("capAdd");
        if (!add.IsKnown || add.Value is null)
        {
            yield break;
        }

        foreach (var cap in add.Value.AsList())
        {
            if (cap.TryString() is { } s && DangerousCaps.Contains(s.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? s[4..] : s))
            {
                yield return Hits.At(cap, r, $"Container {r.Address} adds capability {s}");
            }
        }
    }

    private static IEnumerable<RuleHit> HostPaths(ModelResource r)
    {
        var v = r.Get("hostPathVolumes");
        if (v.IsKnown && v.Value is not null)
        {
            foreach (var vol in v.Value.AsList())
            {
                yield return Hits.At(vol, r, $"{r.Address} mounts host path {vol.Path("hostPath.path")?.TryString() ?? "(unknown)"}");
            }
        }
    }

    /// <summary>True when an image reference has no tag or the tag is latest (and no digest pins it).</summary>
    internal static bool IsMutableImage(string image, out bool tagMissing)
    {
        tagMissing = false;
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        if (colon < 0)
        {
            tagMissing = true;
            return true;
        }

        return image[(colon + 1)..].Equals("latest", StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<RuleHit> MutableImage(ModelResource r)
    {
        var image = r.Str("image");
        if (image.IsKnown && image.Value is { } s && IsMutableImage(s, out var missing))
        {
            var hit = Hits.At(image, missing
                ? $"Container {r.Address} uses image {s} without a tag (the default when the tag is not set is :latest)"
                : $"Container {r.Address} uses the mutable tag {s}");
            yield return hit with { Defaulted = missing };
        }
    }

    private static IEnumerable<RuleHit> EnvSecrets(ModelResource r)
    {
        var env = r.Get("env");
        if (!env.IsKnown || env.Value is null)
        {
            yield break;
        }

        foreach (var e in env.Value.AsList())
        {
            if (e.Get("name")?.TryString() is { } name && SecretName().IsMatch(name) && e.Get("value") is { } value && value.TryString() is { Length: > 0 })
            {
                yield return Hits.At(value, r, $"Container {r.Address} sets {name} from a literal value");
            }
        }
    }

    private static IEnumerable<RuleHit> HostPorts(ModelResource r)
    {
        var ports = r.Get("ports");
        if (!ports.IsKnown || ports.Value is null)
        {
            yield break;
        }

        foreach (var port in ports.Value.AsList())
        {
            if (port.Get("hostPort") is { } hp && hp.TryNumber() is > 0)
            {
                yield return Hits.At(hp, r, $"Container {r.Address} binds host port {hp.TryString()}");
            }
        }
    }
}
