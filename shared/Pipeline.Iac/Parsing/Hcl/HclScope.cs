using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Hcl;

/// <summary>
/// Resolves the root of a reference (<c>var.x</c>, <c>local.y</c>, <c>aws_s3_bucket.b.id</c>) given its
/// first attribute name, lazily, so locals and resources are evaluated only when something refers to them.
/// </summary>
internal interface IHclRoots
{
    /// <summary>The value of <paramref name="root"/> (with its first attribute when the root needs one), or null when unknown.</summary>
    DValue? Resolve(string root, string? firstAttr, out bool consumedAttr);
}

/// <summary>Local names bound by for-expressions, dynamic blocks, count and for_each, layered over the roots.</summary>
internal sealed class HclScope
{
    private readonly Dictionary<string, DValue>? _locals;

    public HclScope(IHclRoots roots, HclScope? parent = null, Dictionary<string, DValue>? locals = null)
    {
        Roots = roots;
        Parent = parent;
        _locals = locals;
    }

    public IHclRoots Roots { get; }

    public HclScope? Parent { get; }

    public HclScope With(string name, DValue value) => new(Roots, this, new Dictionary<string, DValue>(StringComparer.Ordinal) { [name] = value });

    public HclScope With(Dictionary<string, DValue> values) => new(Roots, this, values);

    public DValue? Local(string name)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            if (s._locals is not null && s._locals.TryGetValue(name, out var v))
            {
                return v;
            }
        }

        return null;
    }
}
