using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.Hcl;
using Pipeline.Iac.Parsing.Json;

namespace Pipeline.Iac.Parsing.Terraform;

/// <summary>One evaluated resource instance: <c>aws_s3_bucket.logs</c>, <c>aws_instance.web[0]</c>, <c>module.net.aws_vpc.main</c>.</summary>
internal sealed record TfResource(string Type, string Address, string File, int StartLine, int EndLine, DValue Attributes, bool IsData = false);

/// <summary>The parsed top-level blocks of one module directory.</summary>
internal sealed class TfModuleDef
{
    public required string Dir { get; init; }

    public Dictionary<string, (string File, HclBlock Block)> Variables { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (string File, HclAttribute Attr)> Locals { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (string File, HclBlock Block)> Outputs { get; } = new(StringComparer.Ordinal);

    public List<(string File, HclBlock Block)> Resources { get; } = [];

    public List<(string File, HclBlock Block)> Modules { get; } = [];
}

/// <summary>
/// Loads Terraform configurations: finds root modules among the directories, parses every .tf file,
/// and evaluates variables (defaults, terraform.tfvars, *.auto.tfvars, -var-file, -var), locals,
/// count and for_each, dynamic blocks and local modules into resource instances.
/// </summary>
internal sealed class TerraformLoader
{
    private readonly IReadOnlyDictionary<string, string> _files;
    private readonly IacScanOptions _options;
    private readonly Action<string, int, string> _error;
    private readonly Dictionary<string, TfModuleDef?> _modules = new(StringComparer.Ordinal);

    /// <param name="files">Terraform files (.tf, .tfvars, .tfvars.json) by path relative to the scan root, with '/' separators.</param>
    /// <param name="error">Receives (file, line, message) for each file that does not parse.</param>
    public TerraformLoader(IReadOnlyDictionary<string, string> files, IacScanOptions options, Action<string, int, string> error)
    {
        _files = files;
        _options = options;
        _error = error;
    }

    public List<TfResource> LoadAll(CancellationToken ct)
    {
        var dirs = _files.Keys.Where(f => f.EndsWith(".tf", StringComparison.Ordinal)).Select(DirOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in dirs)
        {
            var def = Module(dir);
            if (def is null)
            {
                continue;
            }

            foreach (var (_, block) in def.Modules)
            {
                if (LocalSource(dir, block) is { } child)
                {
                    referenced.Add(child);
                }
            }
        }

        var result = new List<TfResource>();
        foreach (var dir in dirs.Where(d => !referenced.Contains(d)))
        {
            ct.ThrowIfCancellationRequested();
            var def = Module(dir);
            if (def is null)
            {
                continue;
            }

            var ctx = new TfModuleContext(this, def, string.Empty, RootVariables(dir, def), 0);
            ctx.CollectResources(result);
        }

        return result;
    }

    internal static string DirOf(string path)
    {
        var i = path.LastIndexOf('/');
        return i < 0 ? string.Empty : path[..i];
    }

    internal string? LocalSource(string dir, HclBlock block)
    {
        if (block.Body.Attribute("source")?.Expr is not TemplateExpr { Parts: [TemplateLiteral lit] })
        {
            return null;
        }

        var source = lit.Text;
        if (!source.StartsWith("./", StringComparison.Ordinal) && !source.StartsWith("../", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = new List<string>(dir.Length == 0 ? [] : dir.Split('/'));
        foreach (var seg in source.Split('/'))
        {
            if (seg is "." or "")
            {
                continue;
            }

            if (seg == "..")
            {
                if (parts.Count == 0)
                {
                    return null; // outside the scanned tree: not followed
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(seg);
            }
        }

        return string.Join('/', parts);
    }

    internal TfModuleDef? Module(string dir)
    {
        if (_modules.TryGetValue(dir, out var cached))
        {
            return cached;
        }

        var files = _files.Keys.Where(f => DirOf(f) == dir && f.EndsWith(".tf", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            _modules[dir] = null;
            return null;
        }

        var def = new TfModuleDef { Dir = dir };
        foreach (var file in files)
        {
            HclBody body;
            try
            {
                body = HclParser.ParseFile(_files[file], _options.MaxDepth);
            }
            catch (IacParseException e)
            {
                _error(file, e.Line, e.Message);
                continue;
            }

            foreach (var block in body.Blocks)
            {
                switch (block.Type)
                {
                    case "resource" when block.Labels.Count == 2:
                    case "data" when block.Labels.Count == 2:
                        def.Resources.Add((file, block));
                        break;
                    case "variable" when block.Labels.Count == 1:
                        def.Variables[block.Labels[0]] = (file, block);
                        break;
                    case "output" when block.Labels.Count == 1:
                        def.Outputs[block.Labels[0]] = (file, block);
                        break;
                    case "module" when block.Labels.Count == 1:
                        def.Modules.Add((file, block));
                        break;
                    case "locals":
                        foreach (var attr in block.Body.Attributes)
                        {
                            def.Locals[attr.Name] = (file, attr);
                        }

                        break;
                }
            }
        }

        _modules[dir] = def;
        return def;
    }

    /// <summary>Variable values for a root module in Terraform's precedence order, lowest first.</summary>
    internal Dictionary<string, DValue> RootVariables(string dir, TfModuleDef def)
    {
        var values = new Dictionary<string, DValue>(StringComparer.Ordinal);
        var prefix = dir.Length == 0 ? string.Empty : dir + "/";
        var auto = _files.Keys.Where(f => DirOf(f) == dir && f.EndsWith(".auto.tfvars", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        foreach (var file in new[] { prefix + "terraform.tfvars" }.Concat(auto))
        {
            if (_files.TryGetValue(file, out var text))
            {
                ReadTfvars(file, text, values);
            }
        }

        if (_files.TryGetValue(prefix + "terraform.tfvars.json", out var json))
        {
            ReadTfvarsJson(prefix + "terraform.tfvars.json", json, values);
        }

        foreach (var path in _options.VarFiles)
        {
            var key = _files.ContainsKey(path) ? path : null;
            string text;
            try
            {
                text = key is not null ? _files[key] : File.ReadAllText(path);
            }
            catch (IOException e)
            {
                _error(path, 0, $"cannot read var file: {e.Message}");
                continue;
            }

            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                ReadTfvarsJson(path, text, values);
            }
            else
            {
                ReadTfvars(path, text, values);
            }
        }

        foreach (var (name, raw) in _options.Vars)
        {
            var trimmed = raw.TrimStart();
            if (def.Variables.TryGetValue(name, out var v) && v.Block.Body.Attribute("type")?.Expr is not VariableExpr { Name: "string" }
                && trimmed.Length > 0 && (trimmed[0] is '[' or '{' || trimmed is "true" or "false" || double.TryParse(trimmed, System.Globalization.CultureInfo.InvariantCulture, out _)))
            {
                try
                {
                    values[name] = HclEvaluator.Evaluate(HclParser.ParseExpression(raw), new HclScope(EmptyRoots.Instance));
                    continue;
                }
                catch (IacParseException)
                {
                    // fall through: the value is taken as a string, as Terraform does for string variables
                }
            }

            values[name] = DValue.Str(raw);
        }

        return values;
    }

    private void ReadTfvars(string file, string text, Dictionary<string, DValue> values)
    {
        try
        {
            var body = HclParser.ParseFile(text, _options.MaxDepth);
            foreach (var attr in body.Attributes)
            {
                values[attr.Name] = HclEvaluator.Evaluate(attr.Expr, new HclScope(EmptyRoots.Instance));
            }
        }
        catch (IacParseException e)
        {
            _error(file, e.Line, e.Message);
        }
    }

    private void ReadTfvarsJson(string file, string text, Dictionary<string, DValue> values)
    {
        try
        {
            foreach (var (k, v) in JsonDocumentParser.Parse(text, _options.MaxDepth).Fields)
            {
                values[k] = v;
            }
        }
        catch (IacParseException e)
        {
            _error(file, e.Line, e.Message);
        }
    }

    internal IacScanOptions Options => _options;

    internal void ReportError(string file, int line, string message) => _error(file, line, message);

    // All count/for_each expansions of one scan share this budget, so a file cannot multiply itself into millions of instances.
    private int _instanceBudget = 100_000;

    /// <summary>How many of <paramref name="wanted"/> instances may still be expanded (at most 1,000 per resource).</summary>
    internal int TakeInstances(int wanted)
    {
        var granted = Math.Clamp(Math.Min(wanted, 1_000), 0, Math.Max(_instanceBudget, 0));
        _instanceBudget -= granted;
        return granted;
    }

    internal sealed class EmptyRoots : IHclRoots
    {
        public static readonly EmptyRoots Instance = new();

        public DValue? Resolve(string root, string? firstAttr, out bool consumedAttr)
        {
            consumedAttr = false;
            return null;
        }
    }
}
