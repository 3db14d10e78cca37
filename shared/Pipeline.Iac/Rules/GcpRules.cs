using Pipeline.Core.Model;
using Pipeline.Iac.Model;
using static Pipeline.Iac.Rules.Hits;

namespace Pipeline.Iac.Rules;

/// <summary>Google Cloud rules, one section per service.</summary>
internal static class GcpRules
{
    private static Rule R(string id, string service, string kind, Severity severity, string title, string description, string remediation,
        Func<ModelResource, IEnumerable<RuleHit>> check, string? defaultNote = null, string[]? aliases = null) =>
        Rule.Define("gcp", id, service, kind, severity, title, description, remediation, check, defaultNote, aliases);

    public static IEnumerable<Rule> All()
    {
        yield return R("GCP-GCS-001", "storage", Kinds.GcsBucket, Severity.Medium, "Bucket does not use uniform bucket-level access",
            "Per-object ACLs make access hard to audit and easy to open by mistake.", "Set uniform_bucket_level_access to true.",
            r => WhenFalse(r, "uniformAccess", $"Bucket {r.Address} does not enforce uniform bucket-level access"),
            defaultNote: "Uniform bucket-level access is off unless set.", aliases: ["AVD-GCP-0002", "CKV_GCP_29", "google-storage-enable-ubla"]);
        yield return R("GCP-GCS-002", "storage", Kinds.GcsBucketIam, Severity.Critical, "Bucket is public through IAM",
            "allUsers or allAuthenticatedUsers is granted a role on the bucket.", "Grant roles to specific principals only.",
            r => PublicMembers(r), aliases: ["AVD-GCP-0001", "CKV_GCP_28", "google-storage-no-public-access"]);
        yield return R("GCP-GCE-001", "compute", Kinds.ComputeInstance, Severity.Medium, "Instance has a public IP address",
            "An access_config gives the instance an external IP.", "Remove access_config and reach the instance through IAP or a load balancer.",
            r => WhenTrue(r, "publicIp", $"Instance {r.Address} has an external IP address"), aliases: ["AVD-GCP-0031", "CKV_GCP_40", "google-compute-no-public-ip"]);
        yield return R("GCP-GCE-002", "compute", Kinds.ComputeInstance, Severity.Medium, "Instance serial port access is enabled",
            "The interactive serial console accepts connections from any address allowed by IAM.", "Remove serial-port-enable or set it to false.",
            r => WhenTrue(r, "serialPort", $"Instance {r.Address} enables the serial console"), aliases: ["AVD-GCP-0032", "CKV_GCP_35", "google-compute-no-serial-port"]);
        yield return R("GCP-GCE-003", "compute", Kinds.ComputeInstance, Severity.Medium, "Instance disables OS Login",
            "Without OS Login, SSH access is managed through metadata keys instead of IAM.", "Do not set enable-oslogin to false.",
            r => WhenFalse(r, "osLogin", $"Instance {r.Address} disables OS Login"), aliases: ["AVD-GCP-0036", "CKV_GCP_34", "google-compute-no-oslogin-override"]);
        yield return R("GCP-GCE-004", "compute", Kinds.ComputeInstance, Severity.Medium, "Instance does not use Secure Boot",
            "Shielded VM secure boot is off, so boot-level malware is not blocked.", "Set shielded_instance_config.enable_secure_boot to true.",
            r => WhenFalse(r, "secureBoot", $"Instance {r.Address} does not enable Secure Boot"),
            defaultNote: "Secure boot is off unless enabled.", aliases: ["AVD-GCP-0067", "CKV_GCP_39"]);
        yield return R("GCP-GCE-005", "compute", Kinds.ComputeInstance, Severity.Medium, "Instance accepts project-wide SSH keys",
            "A key added to project metadata grants SSH to every instance.", "Set block-project-ssh-keys to true.",
            r => WhenFalse(r, "blockProjectSshKeys", $"Instance {r.Address} accepts project-wide SSH keys"),
            defaultNote: "Project-wide keys are accepted unless blocked.", aliases: ["AVD-GCP-0030", "CKV_GCP_32", "google-compute-no-project-wide-ssh-keys"]);
        yield return R("GCP-GCE-006", "compute", Kinds.ComputeInstance, Severity.Medium, "Instance can forward IP packets",
            "IP forwarding lets the instance route traffic for other addresses.", "Set can_ip_forward to false unless it is a router.",
            r => WhenTrue(r, "ipForwarding", $"Instance {r.Address} has IP forwarding enabled"), aliases: ["AVD-GCP-0043", "CKV_GCP_36"]);
        yield return R("GCP-GKE-001", "gke", Kinds.GkeCluster, Severity.Medium, "GKE nodes have public IPs",
            "Nodes are reachable from the internet.", "Enable private nodes.",
            r => WhenFalse(r, "privateNodes", $"Cluster {r.Address} gives its nodes public IPs"),
            defaultNote: "Nodes are public unless private nodes are enabled.", aliases: ["AVD-GCP-0059", "CKV_GCP_25", "google-gke-enable-private-cluster"]);
        yield return R("GCP-GKE-002", "gke", Kinds.GkeCluster, Severity.High, "GKE control plane accepts any address",
            "Without master authorized networks the API endpoint accepts connections from any IP.", "Configure master_authorized_networks_config.",
            r => WhenFalse(r, "masterAuthorizedNetworks", $"Cluster {r.Address} has no master authorized networks"),
            defaultNote: "Any address may reach the endpoint unless authorized networks are set.", aliases: ["AVD-GCP-0061", "CKV_GCP_20", "google-gke-enable-master-networks"]);
        yield return R("GCP-GKE-003", "gke", Kinds.GkeCluster, Severity.Medium, "GKE network policy is disabled",
            "Pods can reach each other without restriction.", "Enable network_policy or Dataplane V2.",
            r => WhenFalse(r, "networkPolicy", $"Cluster {r.Address} does not enforce network policy"),
            defaultNote: "Network policy is off unless enabled.", aliases: ["AVD-GCP-0056", "CKV_GCP_12", "google-gke-enable-network-policy"]);
        yield return R("GCP-GKE-004", "gke", Kinds.GkeCluster, Severity.High, "GKE legacy ABAC is enabled",
            "Legacy ABAC grants broad static permissions outside RBAC.", "Set enable_legacy_abac to false.",
            r => WhenTrue(r, "legacyAbac", $"Cluster {r.Address} enables legacy ABAC"), aliases: ["AVD-GCP-0064", "CKV_GCP_7", "google-gke-no-legacy-authentication"]);
        yield return R("GCP-GKE-005", "gke", Kinds.GkeCluster, Severity.Medium, "GKE shielded nodes are disabled",
            "Nodes without shielded VM features are easier to impersonate.", "Keep enable_shielded_nodes true.",
            r => WhenFalse(r, "shieldedNodes", $"Cluster {r.Address} disables shielded nodes"), aliases: ["AVD-GCP-0055", "CKV_GCP_71"]);
        yield return R("GCP-SQL-001", "sql", Kinds.CloudSqlInstance, Severity.High, "Cloud SQL instance has a public IP",
            "The instance has a public IPv4 address.", "Set ipv4_enabled to false and use private IP.",
            r => WhenTrue(r, "publicIp", $"Cloud SQL instance {r.Address} has a public IP"),
            defaultNote: "ipv4_enabled is true unless disabled.", aliases: ["AVD-GCP-0017", "CKV_GCP_60", "google-sql-no-public-access"]);
        yield return R("GCP-SQL-002", "sql", Kinds.CloudSqlInstance, Severity.High, "Cloud SQL does not require SSL",
            "Clients may connect without TLS.", "Set ssl_mode to ENCRYPTED_ONLY (or require_ssl to true).",
            r => RequireSsl(r), defaultNote: "SSL is not required unless set.", aliases: ["AVD-GCP-0015", "CKV_GCP_6", "google-sql-encrypt-in-transit-data"]);
        yield return R("GCP-SQL-003", "sql", Kinds.CloudSqlInstance, Severity.Critical, "Cloud SQL authorizes 0.0.0.0/0",
            "An authorized network allows every address to connect.", "Authorize specific ranges only.",
            r => WorldAuthorized(r), aliases: ["CKV_GCP_11"]);
        yield return R("GCP-FW-001", "compute", Kinds.Firewall, Severity.Critical, "Firewall allows SSH from the internet",
            "An ingress rule allows port 22 from 0.0.0.0/0.", "Restrict source_ranges or use IAP TCP forwarding.",
            r => FirewallOpen(r, 22, "SSH"), aliases: ["CKV_GCP_2"]);
        yield return R("GCP-FW-002", "compute", Kinds.Firewall, Severity.Critical, "Firewall allows RDP from the internet",
            "An ingress rule allows port 3389 from 0.0.0.0/0.", "Restrict source_ranges.",
            r => FirewallOpen(r, 3389, "RDP"), aliases: ["CKV_GCP_3"]);
    }

    private static IEnumerable<RuleHit> PublicMembers(ModelResource r)
    {
        var members = r.Get("members");
        if (members.IsKnown && members.Value is not null)
        {
            foreach (var m in members.Value.AsList())
            {
                if (m.TryString() is "allUsers" or "allAuthenticatedUsers")
                {
                    yield return Hits.At(m, r, $"{r.Address} grants {r.Str("role").Value ?? "a role"} to {m.AsString}");
                }
            }
        }
    }

    private static IEnumerable<RuleHit> RequireSsl(ModelResource r)
    {
        var mode = r.Str("sslMode");
        if (mode.IsKnown)
        {
            if (mode.Value == "ALLOW_UNENCRYPTED_AND_ENCRYPTED")
            {
                yield return Hits.At(mode, $"Cloud SQL instance {r.Address} allows unencrypted connections");
            }

            yield break;
        }

        if (mode.Origin == ValueOrigin.Unresolved)
        {
            yield break;
        }

        foreach (var hit in WhenFalse(r, "requireSsl", $"Cloud SQL instance {r.Address} does not require SSL"))
        {
            yield return hit;
        }
    }

    private static IEnumerable<RuleHit> WorldAuthorized(ModelResource r)
    {
        var nets = r.Get("authorizedNetworks");
        if (nets.IsKnown && nets.Value is not null)
        {
            foreach (var n in nets.Value.AsList())
            {
                if (n.Get("value") is { } v && v.TryString() is { } s && AwsRules.IsWorld(s))
                {
                    yield return Hits.At(v, r, $"Cloud SQL instance {r.Address} authorizes {s}");
                }
            }
        }
    }

    private static IEnumerable<RuleHit> FirewallOpen(ModelResource r, int port, string name)
    {
        var ranges = r.Get("sourceRanges");
        if (!r.Str("direction").Is(d => d.Equals("INGRESS", StringComparison.OrdinalIgnoreCase)) || !ranges.IsKnown
            || !ranges.Value!.AsList().Any(s => s.TryString() is { } v && AwsRules.IsWorld(v)))
        {
            yield break;
        }

        var allowed = r.Get("allowed");
        if (!allowed.IsKnown || allowed.Value is null)
        {
            yield break;
        }

        foreach (var rule in allowed.Value.AsList())
        {
            var protocol = rule.Get("protocol")?.TryString();
            var ports = rule.Get("ports")?.AsList().Select(p => p.TryString() ?? string.Empty).ToList() ?? [];
            var open = protocol is "all" || (protocol is "tcp" && (ports.Count == 0 || ports.Any(p => PortIn(p, port))));
            if (open)
            {
                yield return Hits.At(rule, r, $"Firewall {r.Address} allows {name} from the internet");
                yield break;
            }
        }
    }

    private static bool PortIn(string range, int port)
    {
        var parts = range.Split('-');
        return parts.Length switch
        {
            1 => int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var p) && p == port,
            2 => int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var lo)
                && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var hi) && lo <= port && port <= hi,
            _ => false,
        };
    }
}
