using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.Json;
using Pipeline.Iac.Parsing.Terraform;
using static Pipeline.Iac.Adapters.PropertyMap;

namespace Pipeline.Iac.Adapters;

/// <summary>
/// Adapts evaluated Terraform resources (from .tf files or a plan) into the provider model. Each default
/// below is the Terraform provider schema's default (or, where the provider leaves the attribute unset, the
/// cloud service's), stated once with its source.
/// </summary>
internal static partial class TerraformAdapter
{
    private static readonly Dictionary<string, KindMapping> Maps = AllMappings().ToDictionary(m => m.NativeType, StringComparer.Ordinal);

    /// <summary>Every native type this adapter reads, with the kind it becomes (for the rule catalogue).</summary>
    public static IEnumerable<(string NativeType, string Kind)> Types =>
        Maps.Values.Select(m => (m.NativeType, m.Kind)).Concat(SpecialTypes);

    private static IEnumerable<(string, string)> SpecialTypes =>
    [
        ("aws_security_group", Kinds.SecurityGroupIngress),
        ("aws_security_group_rule", Kinds.SecurityGroupIngress),
        ("aws_vpc_security_group_ingress_rule", Kinds.SecurityGroupIngress),
        ("aws_iam_policy", Kinds.IamPolicy),
        ("aws_iam_role_policy", Kinds.IamPolicy),
        ("aws_iam_user_policy", Kinds.IamPolicy),
        ("aws_iam_group_policy", Kinds.IamPolicy),
        ("aws_iam_policy_document", Kinds.IamPolicy),
        ("aws_s3_bucket_public_access_block", Kinds.S3Bucket),
        ("aws_s3_bucket_versioning", Kinds.S3Bucket),
        ("aws_s3_bucket_logging", Kinds.S3Bucket),
        ("aws_s3_bucket_server_side_encryption_configuration", Kinds.S3Bucket),
        ("aws_s3_bucket_acl", Kinds.S3Bucket),
        ("azurerm_network_security_group", Kinds.NsgRule),
        ("azurerm_network_security_rule", Kinds.NsgRule),
        ("azurerm_mssql_server_extended_auditing_policy", Kinds.SqlServer),
        ("google_storage_bucket_iam_member", Kinds.GcsBucketIam),
        ("google_storage_bucket_iam_binding", Kinds.GcsBucketIam),
    ];

    public static List<ModelResource> Adapt(IReadOnlyList<TfResource> resources)
    {
        var models = new List<ModelResource>();
        var byAddress = new Dictionary<string, ModelResource>(StringComparer.Ordinal);
        var names = new Dictionary<string, ModelResource>(StringComparer.Ordinal);
        foreach (var res in resources)
        {
            if (res.IsData && res.Type != "aws_iam_policy_document")
            {
                continue;
            }

            if (Maps.TryGetValue(res.Type, out var map))
            {
                var m = Build(map, res.Address, res.File, res.StartLine, res.EndLine, res.Attributes, ignoreCase: false);
                models.Add(m);
                byAddress[res.Address] = m;
                foreach (var nameAttr in new[] { "bucket", "name" })
                {
                    if (res.Attributes.Get(nameAttr)?.TryString() is { } n)
                    {
                        names[res.Type + ":" + n] = m;
                    }
                }
            }
        }

        foreach (var res in resources)
        {
            if (res.IsData && res.Type != "aws_iam_policy_document")
            {
                continue;
            }

            AdaptSpecial(res, models, byAddress, names);
        }

        return models;
    }

    /// <summary>Finds the resource an attachment points at: by reference (<c>aws_s3_bucket.b.id</c>) or by name.</summary>
    private static ModelResource? Target(DValue? pointer, string targetType, Dictionary<string, ModelResource> byAddress, Dictionary<string, ModelResource> names)
    {
        if (pointer is null)
        {
            return null;
        }

        if (!pointer.IsKnown && pointer.Reference is { } reference)
        {
            var address = reference;
            var bracket = address.IndexOf('[', StringComparison.Ordinal);
            return byAddress.GetValueOrDefault(address) ?? (bracket > 0 ? byAddress.GetValueOrDefault(address[..bracket]) : null);
        }

        return pointer.TryString() is { } name ? names.GetValueOrDefault(targetType + ":" + name) : null;
    }

    private static void AdaptSpecial(TfResource res, List<ModelResource> models, Dictionary<string, ModelResource> byAddress, Dictionary<string, ModelResource> names)
    {
        var a = res.Attributes;
        switch (res.Type)
        {
            case "aws_s3_bucket_public_access_block" when Target(a.Get("bucket"), "aws_s3_bucket", byAddress, names) is { } bucket:
                // aws provider (aws_s3_bucket_public_access_block): each of the four flags "Defaults to false" when the
                // resource exists but leaves it out; without this resource the S3 service default (all on) stands.
                foreach (var (prop, path) in S3PublicAccessFlags)
                {
                    Apply(bucket, [P(prop, path, false, $"aws provider: {res.Type}.{path} defaults to false")], a, false, null, res.File, (res.StartLine, res.EndLine));
                }

                break;
            case "aws_s3_bucket_versioning" when Target(a.Get("bucket"), "aws_s3_bucket", byAddress, names) is { } bucket:
                Apply(bucket, [new Prop("versioning", "versioning_configuration.status") { Transform = EnabledString }], a, false, null, res.File);
                break;
            case "aws_s3_bucket_logging" when Target(a.Get("bucket"), "aws_s3_bucket", byAddress, names) is { } bucket:
                bucket.Set("logging", (a.Get("target_bucket") is { IsKnown: true } tb ? DValue.Bool(true, tb.Line, tb.EndLine) : a.Get("target_bucket")), "target_bucket", file: res.File);
                break;
            case "aws_s3_bucket_server_side_encryption_configuration" when Target(a.Get("bucket"), "aws_s3_bucket", byAddress, names) is { } bucket:
                Apply(bucket, [P("sseAlgorithm", "rule.apply_server_side_encryption_by_default.sse_algorithm"), P("kmsKeyId", "rule.apply_server_side_encryption_by_default.kms_master_key_id")], a, false, null, res.File);
                break;
            case "aws_s3_bucket_acl" when Target(a.Get("bucket"), "aws_s3_bucket", byAddress, names) is { } bucket:
                Apply(bucket, [P("acl", "acl")], a, false, null, res.File);
                break;
            case "aws_security_group":
                foreach (var ingress in a.Get("ingress")?.AsList() ?? [])
                {
                    models.Add(Ingress(res, ingress, "from_port", "to_port", "protocol", ["cidr_blocks", "ipv6_cidr_blocks"]));
                }

                break;
            case "aws_security_group_rule" when a.Get("type")?.TryString() == "ingress":
                models.Add(Ingress(res, a, "from_port", "to_port", "protocol", ["cidr_blocks", "ipv6_cidr_blocks"]));
                break;
            case "aws_vpc_security_group_ingress_rule":
                models.Add(Ingress(res, a, "from_port", "to_port", "ip_protocol", ["cidr_ipv4", "cidr_ipv6"]));
                break;
            case "aws_iam_policy" or "aws_iam_role_policy" or "aws_iam_user_policy" or "aws_iam_group_policy":
                models.Add(IamPolicy(res, a.Get("policy")));
                break;
            case "aws_iam_policy_document":
                models.Add(IamPolicyDocument(res));
                break;
            case "azurerm_network_security_group":
                foreach (var rule in a.Get("security_rule")?.AsList() ?? [])
                {
                    models.Add(NsgRule(res, rule));
                }

                break;
            case "azurerm_network_security_rule":
                models.Add(NsgRule(res, a));
                break;
            case "azurerm_mssql_server_extended_auditing_policy" when Target(a.Get("server_id"), "azurerm_mssql_server", byAddress, names) is { } server:
                // The resource enables auditing unless "enabled = false" (azurerm: enabled defaults to true).
                server.Set("auditing", a.Get("enabled") ?? DValue.Bool(true, res.StartLine, res.EndLine), "enabled", file: res.File);
                break;
            case "google_storage_bucket_iam_member" or "google_storage_bucket_iam_binding":
                {
                    var m = new ModelResource(Kinds.GcsBucketIam, res.Address, res.File, res.StartLine, res.EndLine) { NativeType = res.Type };
                    m.Set("members", a.Get("member") is { } one ? DValue.List([one], one.Line, one.EndLine) : a.Get("members"), res.Type.EndsWith("member", StringComparison.Ordinal) ? "member" : "members");
                    m.Set("role", a.Get("role"), "role");
                    models.Add(m);
                    break;
                }
        }
    }

    private static readonly (string Prop, string Path)[] S3PublicAccessFlags =
    [
        ("blockPublicAcls", "block_public_acls"),
        ("blockPublicPolicy", "block_public_policy"),
        ("ignorePublicAcls", "ignore_public_acls"),
        ("restrictPublicBuckets", "restrict_public_buckets"),
    ];

    private static ModelResource Ingress(TfResource res, DValue rule, string from, string to, string protocol, string[] cidrPaths)
    {
        var line = rule.Line == 0 ? res.StartLine : rule.Line;
        var m = new ModelResource(Kinds.SecurityGroupIngress, res.Address, res.File, line, rule.Line == 0 ? res.EndLine : rule.EndLine) { NativeType = res.Type };
        m.Set("fromPort", rule.Get(from), from);
        m.Set("toPort", rule.Get(to), to);
        m.Set("protocol", rule.Get(protocol), protocol);
        var cidrs = new List<DValue>();
        DValue? first = null;
        foreach (var path in cidrPaths)
        {
            if (rule.Get(path) is { } v)
            {
                first ??= v;
                cidrs.AddRange(v.AsList());
            }
        }

        m.Set("cidrs", first is null ? null : DValue.List(cidrs, first.Line, first.EndLine), string.Join("/", cidrPaths));
        m.Set("description", rule.Get("description"), "description", "aws provider: description is optional and empty when unset", DValue.Str(string.Empty));
        return m;
    }

    private static ModelResource IamPolicy(TfResource res, DValue? policy)
    {
        var m = new ModelResource(Kinds.IamPolicy, res.Address, res.File, res.StartLine, res.EndLine) { NativeType = res.Type };
        if (policy?.TryString() is { } json)
        {
            try
            {
                // The document is a string: its statements have no lines of their own, so they take the attribute's.
                m.Set("document", Relocate(JsonDocumentParser.Parse(json), policy.Line, policy.EndLine), "policy");
            }
            catch (Parsing.IacParseException)
            {
                m.Set("document", DValue.Unknown(null, policy.Line, policy.EndLine), "policy");
            }
        }
        else
        {
            m.Set("document", policy, "policy");
        }

        return m;
    }

    /// <summary>Places a value parsed out of a string at the lines of the attribute that held the string.</summary>
    internal static DValue Relocate(DValue v, int line, int endLine) => v.Kind switch
    {
        DKind.Map => DValue.Map(v.Fields.ToDictionary(kv => kv.Key, kv => Relocate(kv.Value, line, endLine), StringComparer.Ordinal), line, endLine),
        DKind.List => DValue.List(v.Items.Select(i => Relocate(i, line, endLine)).ToList(), line, endLine),
        _ => v.At(line, endLine),
    };

    private static ModelResource IamPolicyDocument(TfResource res)
    {
        var statements = new List<DValue>();
        foreach (var st in res.Attributes.Get("statement")?.AsList() ?? [])
        {
            // aws provider (aws_iam_policy_document): statement effect defaults to "Allow".
            var map = new Dictionary<string, DValue>(StringComparer.Ordinal)
            {
                ["Effect"] = st.Get("effect") ?? DValue.Str("Allow", st.Line, st.EndLine),
            };
            if (st.Get("actions") is { } actions)
            {
                map["Action"] = actions;
            }

            if (st.Get("resources") is { } resources)
            {
                map["Resource"] = resources;
            }

            statements.Add(DValue.Map(map, st.Line, st.EndLine));
        }

        var m = new ModelResource(Kinds.IamPolicy, res.Address, res.File, res.StartLine, res.EndLine) { NativeType = res.Type };
        m.Set("document", DValue.Map(new Dictionary<string, DValue> { ["Statement"] = DValue.List(statements) }, res.StartLine, res.EndLine), "statement");
        return m;
    }

    private static ModelResource NsgRule(TfResource res, DValue rule)
    {
        var line = rule.Line == 0 ? res.StartLine : rule.Line;
        var m = new ModelResource(Kinds.NsgRule, res.Address, res.File, line, rule.Line == 0 ? res.EndLine : rule.EndLine) { NativeType = res.Type };
        m.Set("direction", rule.Get("direction"), "direction");
        m.Set("access", rule.Get("access"), "access");
        m.Set("protocol", rule.Get("protocol"), "protocol");
        m.Set("sources", Concat(rule, "source_address_prefix", "source_address_prefixes"), "source_address_prefix");
        m.Set("ports", Concat(rule, "destination_port_range", "destination_port_ranges"), "destination_port_range");
        return m;
    }

    internal static DValue? Concat(DValue map, string single, string many)
    {
        var one = map.Get(single);
        var list = map.Get(many);
        if (one is null && list is null)
        {
            return null;
        }

        if ((one is not null && !one.IsKnown) || (list is not null && !list.IsKnown))
        {
            return DValue.Unknown();
        }

        var items = new List<DValue>();
        if (one is not null && one.Kind != DKind.Null)
        {
            items.Add(one);
        }

        items.AddRange(list?.AsList() ?? []);
        var anchor = one ?? list!;
        return DValue.List(items, anchor.Line, anchor.EndLine);
    }
}
