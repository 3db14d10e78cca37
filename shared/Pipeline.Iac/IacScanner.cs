using Pipeline.Core.Analysis;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Iac.Adapters;
using Pipeline.Iac.Engine;
using Pipeline.Iac.Parsing;
using Pipeline.Iac.Parsing.Bicep;
using Pipeline.Iac.Parsing.Dockerfile;
using Pipeline.Iac.Parsing.Json;
using Pipeline.Iac.Parsing.Terraform;
using Pipeline.Iac.Parsing.Yaml;
using Pipeline.Iac.Model;
using Pipeline.Iac.Rules;
using Pipeline.Iac.Suppression;

namespace Pipeline.Iac;

/// <summary>
/// Scans infrastructure-as-code: Terraform (.tf and plan JSON), CloudFormation, ARM, Bicep, Kubernetes
/// manifests and Dockerfiles. Each file is parsed, adapted into the provider model, and checked by
/// <see cref="IacRules"/>. A file that does not parse becomes a located <c>PARSE</c> finding; the others
/// are still scanned.
/// </summary>
public sealed partial class IacScanner
{
    /// <summary>The rule id of the finding a file that cannot be parsed produces.</summary>
    public const string ParseRuleId = "PARSE";

    private readonly IacScanOptions _options;

    /// <summary>Creates a scanner; the options' bounds apply to every scan it runs.</summary>
    public IacScanner(IacScanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Scans a file, a directory or a .zip.</summary>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    public async Task<IacScanResult> ScanAsync(string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = new IacScanResult();
        var files = IacFileSource.Load(path, _options, result.Errors, ct);
        var models = new List<ModelResource>();
        var texts = files.ToDictionary(f => f.Path, f => f.Text, StringComparer.Ordinal);

        void ParseError(string file, int line, string message, string format)
        {
            result.Errors.Add(new AnalysisError { Analyzer = "iac/" + format, Path = file, Message = message });
            result.Misconfigurations.Add(new Misconfiguration
            {
                RuleId = ParseRuleId,
                Title = "File could not be parsed",
                Severity = Severity.Medium,
                Provider = format,
                Resource = string.Empty,
                File = file,
                StartLine = Math.Max(line, 1),
                EndLine = Math.Max(line, 1),
                Message = message,
                Description = "The scanner could not read this file, so none of its resources were checked.",
                Remediation = "Fix the syntax error; the tool that deploys this file would reject it too.",
            });
        }

        var terraform = files.Where(f => IsTerraformFile(f.Name)).ToDictionary(f => f.Path, f => f.Text, StringComparer.Ordinal);
        if (terraform.Count > 0)
        {
            result.FilesScanned += terraform.Count;
            var loader = new TerraformLoader(terraform, _options, (f, l, m) => ParseError(f, l, m, "terraform"));
            try
            {
                models.AddRange(TerraformAdapter.Adapt(loader.LoadAll(ct)));
            }
            catch (IacParseException e)
            {
                ParseError(terraform.Keys.First(), e.Line, e.Message, "terraform");
            }
        }

        // Bicep files that other Bicep files use as modules go last: a parent that compiles covers them, with the
        // values it passes; only a module no compiled parent covered is scanned on its own.
        var bicepTexts = files.Where(f => IsBicep(f.Name)).ToDictionary(f => f.Path, f => f.Text, StringComparer.Ordinal);
        var modules = bicepTexts.Keys.SelectMany(p => BicepModules.LocalModulesOf(p, bicepTexts)).ToHashSet(StringComparer.Ordinal);
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files.Where(f => !IsTerraformFile(f.Name)).OrderBy(f => modules.Contains(f.Path)))
        {
            ct.ThrowIfCancellationRequested();
            if (covered.Contains(file.Path))
            {
                result.FilesScanned++;
                continue;
            }

            var format = "unknown";
            try
            {
                if (IacFileSource.IsDockerfileName(file.Name))
                {
                    format = "dockerfile";
                    result.FilesScanned++;
                    var model = DockerfileParser.Parse(file.Text);
                    models.Add(new ModelResource(Kinds.Dockerfile, file.Path, file.Path, 1, Math.Max(1, model.Instructions.LastOrDefault()?.EndLine ?? 1)) { NativeType = "Dockerfile", Payload = model });
                }
                else if (IsBicep(file.Name))
                {
                    format = "bicep";
                    result.FilesScanned++;
                    var arm = await BicepCompiler.CompileAsync(Path.Combine(Directory.Exists(path) ? path : Path.GetDirectoryName(path) ?? ".", file.Path), file.Text, _options, ct).ConfigureAwait(false);
                    models.AddRange(BicepModules.MapBack(ArmAdapter.Adapt(JsonDocumentParser.Parse(arm, _options.MaxDepth * 4), file.Path), file.Path, bicepTexts, file.Text));
                    covered.UnionWith(BicepModules.LocalModulesOf(file.Path, bicepTexts));
                }
                else if (file.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                {
                    if (!MightBeIac(file.Text))
                    {
                        continue;
                    }

                    format = "json";
                    var doc = JsonDocumentParser.Parse(file.Text, _options.MaxDepth);
                    if (PlanJsonReader.LooksLikePlan(doc))
                    {
                        format = "terraform";
                        result.FilesScanned++;
                        models.AddRange(TerraformAdapter.Adapt(PlanJsonReader.Read(doc, file.Path)));
                    }
                    else if (ArmAdapter.LooksLikeTemplate(doc))
                    {
                        format = "arm";
                        result.FilesScanned++;
                        models.AddRange(ArmAdapter.Adapt(doc, file.Path));
                    }
                    else if (CloudFormationAdapter.LooksLikeTemplate(doc))
                    {
                        format = "cloudformation";
                        result.FilesScanned++;
                        models.AddRange(CloudFormationAdapter.Adapt(doc, file.Path, file.Text));
                    }
                }
                else if (file.Name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.Name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                    || file.Name.EndsWith(".template", StringComparison.OrdinalIgnoreCase))
                {
                    // Helm charts and other Go templates are not YAML until rendered: they are left alone.
                    // (CloudFormation's own "{{resolve:...}}" dynamic references are not Go template actions.)
                    if (GoTemplateAction().IsMatch(file.Text))
                    {
                        continue;
                    }

                    var maybeCfn = CloudFormationAdapter.MightBeYamlTemplate(file.Text);
                    var maybeK8s = file.Text.Contains("apiVersion", StringComparison.Ordinal) && file.Text.Contains("kind", StringComparison.Ordinal);
                    if (!maybeCfn && !maybeK8s)
                    {
                        continue;
                    }

                    format = maybeCfn ? "cloudformation" : "kubernetes";
                    var docs = YamlDocumentReader.ReadAll(file.Text, _options.MaxDepth, _options.MaxYamlAliases, maybeCfn ? CloudFormationAdapter.ShortTag : null);
                    if (maybeCfn && docs.Count > 0 && CloudFormationAdapter.LooksLikeTemplate(docs[0]))
                    {
                        result.FilesScanned++;
                        models.AddRange(CloudFormationAdapter.Adapt(docs[0], file.Path, file.Text));
                    }
                    else if (docs.Any(KubernetesAdapter.LooksLikeManifest))
                    {
                        format = "kubernetes";
                        result.FilesScanned++;
                        models.AddRange(KubernetesAdapter.Adapt(docs, file.Path));
                    }
                }
            }
            catch (IacParseException e)
            {
                result.FilesScanned++;
                ParseError(file.Path, e.Line, e.Message, format);
            }
            catch (BicepException e)
            {
                ParseError(file.Path, e.Line, e.Message, "bicep");
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // A bug in one adapter must not lose the other files: report this one and go on.
                ParseError(file.Path, 1, $"internal error reading the file: {e.GetType().Name}: {e.Message}", format);
            }
        }

        RuleRunner.Run(models, texts, _options.SkipRuleIds, result);
        return result;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{-?\s*(\.|\$|if\b|range\b|include\b|end\b|with\b|template\b|define\b|toYaml\b)")]
    private static partial System.Text.RegularExpressions.Regex GoTemplateAction();

    private static bool IsBicep(string name) => name.EndsWith(".bicep", StringComparison.OrdinalIgnoreCase);

    private static bool IsTerraformFile(string name) =>
        name.EndsWith(".tf", StringComparison.Ordinal) || name.EndsWith(".tfvars", StringComparison.Ordinal) || name.EndsWith(".tfvars.json", StringComparison.Ordinal);

    /// <summary>A cheap look at a JSON file before parsing it: package.json and friends are not IaC and are skipped.</summary>
    private static bool MightBeIac(string text) =>
        text.Contains("planned_values", StringComparison.Ordinal) || text.Contains("deploymentTemplate", StringComparison.Ordinal)
        || text.Contains("AWSTemplateFormatVersion", StringComparison.Ordinal) || text.Contains("\"AWS::", StringComparison.Ordinal);
}
