using Pipeline.Iac;
using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing;
using Pipeline.Iac.Parsing.Hcl;
using Pipeline.Iac.Parsing.Terraform;

namespace Pipeline.Infra.Tests.Terraform;

/// <summary>Reads HCL files with Pipeline.Iac's parser, the one <c>pipeline scan iac</c> uses.</summary>
internal static class HclFile
{
    public static HclBody Parse(string path)
    {
        try
        {
            return HclParser.ParseFile(File.ReadAllText(path));
        }
        catch (IacParseException e)
        {
            throw new FormatException($"{path}:{e.Line}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The value of an expression written as a literal (a string without interpolation, a number, a bool, null);
    /// anything computed is returned as the expression itself, which equals no literal value.
    /// </summary>
    public static object? Literal(HclExpr? expr) => expr switch
    {
        LiteralExpr l => l.Value.Raw,
        TemplateExpr { Parts: [] } => string.Empty,
        TemplateExpr { Parts: [TemplateLiteral text] } => text.Text,
        _ => expr,
    };

    /// <summary>The literal string an attribute of <paramref name="body"/> is set to.</summary>
    public static string LiteralString(HclBody body, string name) =>
        Literal(body.Attribute(name)?.Expr) as string ?? throw new FormatException($"{name} is not set to a literal string.");
}

/// <summary>
/// A Terraform root or module directory read with Pipeline.Iac: its blocks and variables, and the resource
/// instances a plan with one set of variable values (a .tfvars file) would create, evaluated by the same
/// Terraform loader the product's IaC scanner uses.
/// </summary>
internal sealed class TerraformConfig
{
    private readonly List<HclBlock> blocks = [];
    private readonly string? tfvarsFile;

    public TerraformConfig(string directory, string? tfvarsFile = null)
    {
        Directory = directory;
        this.tfvarsFile = tfvarsFile;
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.tf").Order(StringComparer.Ordinal))
        {
            blocks.AddRange(HclFile.Parse(file).Blocks);
        }

        var twice = blocks.Where(b => b.Type == "locals").SelectMany(b => b.Body.Attributes).GroupBy(a => a.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            throw new FormatException($"locals defined twice in {directory}: {string.Join(", ", twice)}");
        }

        if (tfvarsFile is not null)
        {
            var unknown = HclFile.Parse(tfvarsFile).Attributes.Select(a => a.Name).Where(k => !Variables.Any(v => v.Labels[0] == k)).ToList();
            if (unknown.Count > 0)
            {
                throw new FormatException($"{tfvarsFile} sets undeclared variables: {string.Join(", ", unknown)}");
            }
        }
    }

    public string Directory { get; }

    public IEnumerable<HclBlock> Blocks => blocks;

    public IEnumerable<HclBlock> Variables => blocks.Where(b => b.Type == "variable");

    /// <summary>Variables without a default, which every caller must set.</summary>
    public IEnumerable<string> RequiredVariables =>
        Variables.Where(v => v.Body.Attribute("default") is null).Select(v => v.Labels[0]);

    /// <summary>
    /// Every resource instance (not data source) a plan with these variables would create. Like Terraform,
    /// this refuses a count or for_each that is not known at plan time, and any expression that fails.
    /// </summary>
    public IReadOnlyList<TfResource> Instances()
    {
        var files = System.IO.Directory.EnumerateFiles(Directory, "*.tf").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        var errors = new List<string>();
        var options = new IacScanOptions { VarFiles = tfvarsFile is null ? [] : [tfvarsFile] };
        var loader = new TerraformLoader(files, options, (file, line, message) => errors.Add($"{file}:{line}: {message}"));
        var module = loader.Module(string.Empty) ?? throw new InvalidOperationException($"No configuration in {Directory}.");
        var context = new TfModuleContext(loader, module, string.Empty, loader.RootVariables(string.Empty, module), 0);

        foreach (var (_, block) in module.Resources.Where(r => r.Block.Type == "resource"))
        {
            var address = $"{block.Labels[0]}.{block.Labels[1]}";
            if (block.Body.Attribute("count") is { } count && HclEvaluator.Evaluate(count.Expr, new HclScope(context)).TryNumber() is null)
            {
                throw new InvalidOperationException($"{address}: count is not known at plan time.");
            }

            if (block.Body.Attribute("for_each") is { } forEach
                && HclEvaluator.Evaluate(forEach.Expr, new HclScope(context)) is var keys
                && (!keys.IsKnown || (keys.Kind != DKind.Map && keys.ContainsUnknown())))
            {
                throw new InvalidOperationException($"{address}: for_each is not known at plan time.");
            }
        }

        var resources = new List<TfResource>();
        context.CollectResources(resources);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
        return resources.Where(r => !r.IsData).ToList();
    }
}
