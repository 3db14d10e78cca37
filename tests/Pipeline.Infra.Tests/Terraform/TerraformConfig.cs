namespace Pipeline.Infra.Tests.Terraform;

/// <summary>One resource instance after count/for_each expansion.</summary>
internal sealed record TerraformInstance(string Type, string Label, HclBody Body, HclEvaluator Evaluator)
{
    public string Address => $"{Type}.{Label}";
}

/// <summary>
/// A Terraform root or module directory read with <see cref="Hcl"/>: its variables, locals and resources,
/// evaluated for one set of variable values (a .tfvars file) the way a plan would see them.
/// </summary>
internal sealed class TerraformConfig
{
    private readonly List<HclBlock> blocks = [];
    private readonly Dictionary<string, HclExpr> locals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> localValues = new(StringComparer.Ordinal);
    private readonly HashSet<string> evaluatingLocals = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, object?> variables = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, object?> dataValues;

    public TerraformConfig(string directory, string? tfvarsFile = null, IReadOnlyDictionary<string, object?>? dataValues = null)
    {
        Directory = directory;
        this.dataValues = dataValues ?? new Dictionary<string, object?>();
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.tf").Order(StringComparer.Ordinal))
        {
            blocks.AddRange(Hcl.ParseFile(file).Blocks);
        }

        foreach (var block in blocks.Where(b => b.Type == "locals"))
        {
            foreach (var (name, expr) in block.Body.Attributes)
            {
                if (!locals.TryAdd(name, expr))
                {
                    throw new FormatException($"local.{name} is defined twice in {directory}.");
                }
            }
        }

        Evaluator = new HclEvaluator(Root);
        var tfvars = tfvarsFile is null ? new Dictionary<string, HclExpr>() : Hcl.ParseFile(tfvarsFile).Attributes;
        foreach (var variable in Variables)
        {
            var name = variable.Labels[0];
            if (tfvars.TryGetValue(name, out var given))
            {
                variables[name] = Evaluator.Evaluate(given);
            }
            else if (variable.Body.Attributes.TryGetValue("default", out var defaultValue))
            {
                variables[name] = Evaluator.Evaluate(defaultValue);
            }
        }

        var unknown = tfvars.Keys.Where(k => !Variables.Any(v => v.Labels[0] == k)).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"{tfvarsFile} sets undeclared variables: {string.Join(", ", unknown)}");
        }
    }

    public string Directory { get; }

    public HclEvaluator Evaluator { get; }

    public IEnumerable<HclBlock> Blocks => blocks;

    public IEnumerable<HclBlock> Variables => blocks.Where(b => b.Type == "variable");

    /// <summary>Variables without a default, which every caller must set.</summary>
    public IEnumerable<string> RequiredVariables =>
        Variables.Where(v => !v.Body.Attributes.ContainsKey("default")).Select(v => v.Labels[0]);

    /// <summary>Every resource instance a plan with these variables would create.</summary>
    public IEnumerable<TerraformInstance> Instances()
    {
        foreach (var block in blocks.Where(b => b.Type == "resource"))
        {
            var (type, label) = (block.Labels[0], block.Labels[1]);
            if (block.Body.Attributes.TryGetValue("count", out var countExpr))
            {
                var count = Evaluator.Evaluate(countExpr);
                if (count is not decimal n)
                {
                    throw new InvalidOperationException($"{type}.{label}: count is not known at plan time.");
                }

                for (var i = 0; i < n; i++)
                {
                    var index = (decimal)i;
                    yield return new TerraformInstance(type, $"{label}[{i}]", block.Body, Scoped(name => name == "count" ? new SortedDictionary<string, object?> { ["index"] = index } : null));
                }
            }
            else if (block.Body.Attributes.TryGetValue("for_each", out var forEachExpr))
            {
                var items = Evaluator.Evaluate(forEachExpr) switch
                {
                    SortedDictionary<string, object?> map => map.Select(kv => (kv.Key, kv.Value)).ToList(),
                    List<object?> set => set.Select(v => (HclEvaluator.AsString(v), v)).ToList(),
                    _ => throw new InvalidOperationException($"{type}.{label}: for_each is not known at plan time."),
                };
                foreach (var (key, value) in items)
                {
                    var each = new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["key"] = key, ["value"] = value };
                    yield return new TerraformInstance(type, $"{label}[\"{key}\"]", block.Body, Scoped(name => name == "each" ? each : null));
                }
            }
            else
            {
                yield return new TerraformInstance(type, label, block.Body, Evaluator);
            }
        }
    }

    private HclEvaluator Scoped(Func<string, object?> extra) => new(name => extra(name) ?? Root(name));

    private object? Root(string name) => name switch
    {
        "var" => variables,
        "local" => new Lazy(Local),
        "data" => new Lazy(type => new Lazy(dataName => new Lazy(attribute =>
            dataValues.TryGetValue($"{type}.{dataName}.{attribute}", out var v) ? v : Unknown.Value))),
        "each" or "count" => throw new InvalidOperationException($"{name} used outside a repeated resource."),

        // Resource, module and path references are only known after apply.
        _ => Unknown.Value,
    };

    private object? Local(string name)
    {
        if (localValues.TryGetValue(name, out var cached))
        {
            return cached;
        }

        if (!locals.TryGetValue(name, out var expr))
        {
            throw new KeyNotFoundException($"local.{name} is not defined in {Directory}.");
        }

        if (!evaluatingLocals.Add(name))
        {
            throw new InvalidOperationException($"local.{name} refers to itself.");
        }

        var value = Evaluator.Evaluate(expr);
        evaluatingLocals.Remove(name);
        localValues[name] = value;
        return value;
    }

    private sealed class Lazy(Func<string, object?> get) : ILazyObject
    {
        public object? Get(string name) => get(name);
    }
}
