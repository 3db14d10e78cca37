using Pipeline.Core.Findings;
using Pipeline.Iac.Model;
using Pipeline.Iac.Rules;
using Pipeline.Iac.Suppression;

namespace Pipeline.Iac.Engine;

/// <summary>Runs every rule over the model, turns hits into findings, and applies suppressions.</summary>
internal static class RuleRunner
{
    private static readonly Dictionary<string, List<Rule>> RulesByKind = IacRules.Rules
        .SelectMany(r => r.Kinds.Select(k => (k, r)))
        .GroupBy(x => x.k, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(x => x.r).ToList(), StringComparer.Ordinal);

    public static void Run(IEnumerable<ModelResource> models, IReadOnlyDictionary<string, string> texts, IReadOnlySet<string> skip, IacScanResult result)
    {
        var suppressions = new Dictionary<string, SuppressionIndex>(StringComparer.Ordinal);
        SuppressionIndex For(string file)
        {
            if (!suppressions.TryGetValue(file, out var index))
            {
                suppressions[file] = index = texts.TryGetValue(file, out var text) ? SuppressionIndex.Parse(text) : SuppressionIndex.Parse(string.Empty);
            }

            return index;
        }

        var found = new List<Misconfiguration>();
        var suppressed = new List<Misconfiguration>();
        foreach (var model in models)
        {
            if (!RulesByKind.TryGetValue(model.Kind, out var rules))
            {
                continue;
            }

            foreach (var rule in rules)
            {
                foreach (var hit in rule.Check(model))
                {
                    var file = hit.File ?? model.File;
                    var finding = new Misconfiguration
                    {
                        RuleId = rule.Id,
                        Title = rule.Title,
                        Severity = rule.Severity,
                        Provider = rule.Provider,
                        Service = rule.Service,
                        Resource = model.Address,
                        File = file,
                        StartLine = hit.StartLine == 0 ? model.StartLine : hit.StartLine,
                        EndLine = Math.Max(hit.EndLine == 0 ? model.EndLine : hit.EndLine, hit.StartLine),
                        Defaulted = hit.Defaulted,
                        Message = hit.Message,
                        Description = rule.Description,
                        Remediation = rule.Remediation,
                        References = rule.References.Count == 0 ? null : rule.References,
                    };
                    var by = skip.Contains(rule.Id) ? "policy: rule skipped" : For(file).Match(rule.Id, rule.Aliases, finding.StartLine, model.StartLine, model.EndLine);
                    if (by is null && file != model.File)
                    {
                        by = For(model.File).Match(rule.Id, rule.Aliases, model.StartLine, model.StartLine, model.EndLine);
                    }

                    if (by is null)
                    {
                        found.Add(finding);
                    }
                    else
                    {
                        suppressed.Add(finding with { SuppressedBy = by });
                    }
                }
            }
        }

        result.Misconfigurations.AddRange(found);
        Sort(result.Misconfigurations);
        result.Suppressed.AddRange(suppressed);
        Sort(result.Suppressed);
    }

    private static void Sort(List<Misconfiguration> list) =>
        list.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.File, b.File);
            if (c == 0)
            {
                c = a.StartLine.CompareTo(b.StartLine);
            }

            return c != 0 ? c : string.CompareOrdinal(a.RuleId, b.RuleId);
        });
}
