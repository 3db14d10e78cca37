using Pipeline.Iac.Model;
using static Pipeline.Iac.Adapters.PropertyMap;

namespace Pipeline.Iac.Adapters;

/// <summary>
/// Adapts Kubernetes manifests: each workload's pod spec (found at the path its kind uses) becomes a pod
/// model, and each container a container model whose security settings are the container's own, else the
/// pod's, else the Kubernetes API default stated below.
/// </summary>
internal static class KubernetesAdapter
{
    /// <summary>Workload kinds and the path of their pod spec.</summary>
    private static readonly Dictionary<string, string?> PodSpecPaths = new(StringComparer.Ordinal)
    {
        ["Pod"] = "spec",
        ["Deployment"] = "spec.template.spec",
        ["StatefulSet"] = "spec.template.spec",
        ["DaemonSet"] = "spec.template.spec",
        ["ReplicaSet"] = "spec.template.spec",
        ["ReplicationController"] = "spec.template.spec",
        ["Job"] = "spec.template.spec",
        ["CronJob"] = "spec.jobTemplate.spec.template.spec",
    };

    public static IEnumerable<(string NativeType, string Kind)> Types =>
        PodSpecPaths.Keys.SelectMany(k => new[] { (k, Kinds.K8sPod), (k, Kinds.K8sContainer) });

    public static bool LooksLikeManifest(DValue doc) => doc.Get("apiVersion") is not null && doc.Get("kind") is not null;

    public static List<ModelResource> Adapt(IReadOnlyList<DValue> documents, string file)
    {
        var models = new List<ModelResource>();
        foreach (var doc in documents)
        {
            if (doc.Kind != DKind.Map)
            {
                continue;
            }

            if (doc.Get("kind")?.TryString() == "List")
            {
                models.AddRange(Adapt(doc.Get("items")?.AsList() ?? [], file));
                continue;
            }

            if (doc.Get("kind")?.TryString() is not { } kind || !PodSpecPaths.TryGetValue(kind, out var path) || doc.Path(path!) is not { Kind: DKind.Map } spec)
            {
                continue;
            }

            var name = doc.Path("metadata.name")?.TryString() ?? "(unnamed)";
            var ns = doc.Path("metadata.namespace")?.TryString();
            var address = ns is null ? $"{kind}/{name}" : $"{kind}/{ns}/{name}";
            models.Add(Pod(spec, kind, address, file, doc));
            foreach (var group in new[] { "initContainers", "containers", "ephemeralContainers" })
            {
                foreach (var c in spec.Get(group)?.AsList() ?? [])
                {
                    models.Add(Container(c, spec, kind, address, file));
                }
            }
        }

        return models;
    }

    private static ModelResource Pod(DValue spec, string kind, string address, string file, DValue doc)
    {
        var r = new ModelResource(Kinds.K8sPod, address, file, doc.Line, doc.EndLine) { NativeType = kind };
        Apply(r,
        [
            P("hostNetwork", "hostNetwork", false, "Kubernetes API: hostNetwork defaults to false"),
            P("hostPID", "hostPID", false, "Kubernetes API: hostPID defaults to false"),
            P("hostIPC", "hostIPC", false, "Kubernetes API: hostIPC defaults to false"),
            P("automountToken", "automountServiceAccountToken", true, "Kubernetes API: the service account token is mounted unless automountServiceAccountToken is false"),
        ], spec, false, null, null);
        var hostPaths = (spec.Get("volumes")?.AsList() ?? []).Where(v => v.Get("hostPath") is not null).ToList();
        if (hostPaths.Count > 0)
        {
            r.Set("hostPathVolumes", DValue.List(hostPaths, hostPaths[0].Line, hostPaths[^1].EndLine), "volumes[].hostPath");
        }

        return r;
    }

    private static ModelResource Container(DValue c, DValue spec, string kind, string address, string file)
    {
        var name = c.Get("name")?.TryString() ?? "(unnamed)";
        var r = new ModelResource(Kinds.K8sContainer, $"{address}/{name}", file, c.Line, c.EndLine) { NativeType = kind };
        var sc = c.Get("securityContext") ?? DValue.Map([]);
        var podSc = spec.Get("securityContext") ?? DValue.Map([]);

        Apply(r,
        [
            P("privileged", "privileged", false, "Kubernetes API: privileged defaults to false"),
            P("allowPrivilegeEscalation", "allowPrivilegeEscalation", true, "Kubernetes API: allowPrivilegeEscalation is true when unset"),
            P("readOnlyRootFilesystem", "readOnlyRootFilesystem", false, "Kubernetes API: readOnlyRootFilesystem defaults to false"),
            P("capDrop", "capabilities.drop", Array.Empty<string>(), "Kubernetes: the runtime's default capability set is kept unless capabilities are dropped"),
            P("capAdd", "capabilities.add"),
        ], sc, false, null, null);

        // Pod-level settings apply to every container that does not override them.
        foreach (var (prop, path) in new[] { ("runAsNonRoot", "runAsNonRoot"), ("runAsUser", "runAsUser"), ("seccomp", "seccompProfile.type") })
        {
            var v = sc.Path(path) ?? podSc.Path(path);
            if (v is not null && v.Kind != DKind.Null)
            {
                r.Set(prop, v, "securityContext." + path);
            }
        }

        if (!r.Props.ContainsKey("runAsNonRoot"))
        {
            r.Set("runAsNonRoot", null, "securityContext.runAsNonRoot", "Kubernetes: without runAsNonRoot the container runs as the image's user, root unless the image sets another", DValue.False);
        }

        if (!r.Props.ContainsKey("seccomp"))
        {
            r.Set("seccomp", null, "securityContext.seccompProfile", "Kubernetes: containers run Unconfined unless a seccomp profile is set", DValue.Str("Unconfined"));
        }

        Apply(r,
        [
            P("cpuLimit", "resources.limits.cpu", string.Empty, "Kubernetes: a container has no CPU limit unless one is set (or a LimitRange adds one)"),
            P("memoryLimit", "resources.limits.memory", string.Empty, "Kubernetes: a container has no memory limit unless one is set (or a LimitRange adds one)"),
            P("image", "image"),
            P("env", "env"),
            P("ports", "ports"),
        ], c, false, null, null);
        return r;
    }
}
