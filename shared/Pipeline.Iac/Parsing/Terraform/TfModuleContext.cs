using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.Hcl;

namespace Pipeline.Iac.Parsing.Terraform;

/// <summary>
/// One instance of a module (the root, or a <c>module "x"</c> call) with its input values. Resolves
/// references lazily: locals, resources and child module outputs are evaluated the first time
/// something refers to them, with cycles broken to unknown.
/// </summary>
internal sealed class TfModuleContext : IHclRoots
{
    private const int MaxModuleDepth = 16;
    private const int MaxInstances = 1_000;
    private const int MaxReferenceChain = 100;

    private static readonly HashSet<string> MetaAttributes = ["count", "for_each", "provider", "depends_on"];
    private static readonly HashSet<string> MetaBlocks = ["lifecycle", "provisioner", "connection"];

    private readonly TerraformLoader _loader;
    private readonly TfModuleDef _def;
    private readonly string _prefix;
    private readonly Dictionary<string, DValue> _inputs;
    private readonly int _depth;
    private readonly Dictionary<string, DValue> _locals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Key, DValue? Index, DValue Body)>> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DValue? Key, TfModuleContext Context)>?> _children = new(StringComparer.Ordinal);
    private DValue? _varObject;

    public TfModuleContext(TerraformLoader loader, TfModuleDef def, string prefix, Dictionary<string, DValue> inputs, int depth)
    {
        _loader = loader;
        _def = def;
        _prefix = prefix;
        _inputs = inputs;
        _depth = depth;
    }

    private HclScope Scope => new(this);

    public void CollectResources(List<TfResource> into)
    {
        foreach (var (file, block) in _def.Resources)
        {
            var isData = block.Type == "data";
            var type = block.Labels[0];
            var baseAddress = (isData ? "data." : string.Empty) + type + "." + block.Labels[1];
            List<(string Key, DValue? Index, DValue Body)> instances;
            try
            {
                instances = Instances(block);
            }
            catch (IacParseException e)
            {
                // An expression past the evaluation bounds loses this resource only.
                _loader.ReportError(file, e.Line == 0 ? block.Line : e.Line, e.Message);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // An evaluator bug must not cost the other resources and files.
                _loader.ReportError(file, block.Line, $"internal error evaluating {baseAddress}: {e.GetType().Name}: {e.Message}");
                continue;
            }

            foreach (var (key, _, body) in instances)
            {
                into.Add(new TfResource(type, _prefix + baseAddress + key, file, block.Line, block.EndLine, body, isData));
            }
        }

        foreach (var (_, block) in _def.Modules)
        {
            foreach (var (_, child) in Children(block.Labels[0]) ?? [])
            {
                child.CollectResources(into);
            }
        }
    }

    public DValue? Resolve(string root, string? firstAttr, out bool consumedAttr)
    {
        consumedAttr = true;
        switch (root)
        {
            case "var":
                if (firstAttr is null)
                {
                    consumedAttr = false;
                    return _varObject ??= DValue.Map(_def.Variables.Keys.ToDictionary(k => k, Variable, StringComparer.Ordinal));
                }

                return Variable(firstAttr);
            case "local":
                return firstAttr is null ? null : Local(firstAttr);
            case "module":
                if (firstAttr is null)
                {
                    return null;
                }

                return ModuleOutputs(firstAttr);
            case "path":
                return firstAttr switch
                {
                    "module" => DValue.Str(_def.Dir.Length == 0 ? "." : _def.Dir),
                    "root" or "cwd" => DValue.Str("."),
                    _ => null,
                };
            case "terraform":
                return firstAttr == "workspace" ? DValue.Str("default") : null;
            case "data":
                {
                    var dot = firstAttr?.IndexOf('.', StringComparison.Ordinal) ?? -1;
                    if (dot < 0)
                    {
                        return null;
                    }

                    var dataBlock = _def.Resources.Find(r => r.Block.Type == "data" && r.Block.Labels[0] == firstAttr![..dot] && r.Block.Labels[1] == firstAttr[(dot + 1)..]).Block;
                    return dataBlock is null ? DValue.Unknown(_prefix + "data." + firstAttr) : ResourceValue(dataBlock, "data." + firstAttr);
                }
            case "count" or "each" or "self":
                return null;
        }

        if (firstAttr is null)
        {
            consumedAttr = false;
            return null;
        }

        var block = _def.Resources.Find(r => r.Block.Type == "resource" && r.Block.Labels[0] == root && r.Block.Labels[1] == firstAttr).Block;
        if (block is null)
        {
            return DValue.Unknown(_prefix + root + "." + firstAttr);
        }

        return ResourceValue(block, root + "." + firstAttr);
    }

    private DValue Variable(string name)
    {
        if (_inputs.TryGetValue(name, out var v))
        {
            return v;
        }

        if (_def.Variables.TryGetValue(name, out var decl) && decl.Block.Body.Attribute("default") is { } def)
        {
            return HclEvaluator.Evaluate(def.Expr, new HclScope(TerraformLoader.EmptyRoots.Instance));
        }

        // A variable without a value would be prompted for: unknown to a static scan.
        return DValue.Unknown("var." + name);
    }

    private DValue Local(string name)
    {
        if (_locals.TryGetValue(name, out var cached))
        {
            return cached;
        }

        // A chain of references deeper than the bound is cut to unknown rather than risk the stack.
        if (!_def.Locals.TryGetValue(name, out var decl) || _evaluating.Count > MaxReferenceChain || !_evaluating.Add("local." + name))
        {
            return DValue.Unknown("local." + name);
        }

        try
        {
            var v = HclEvaluator.Evaluate(decl.Attr.Expr, Scope);
            _locals[name] = v;
            return v;
        }
        finally
        {
            _evaluating.Remove("local." + name);
        }
    }

    private DValue ResourceValue(HclBlock block, string key)
    {
        var hasCount = block.Body.Attribute("count") is not null;
        var hasForEach = block.Body.Attribute("for_each") is not null;
        var instances = InstancesCached(block, key);
        if (instances is null)
        {
            return DValue.Unknown(_prefix + key);
        }

        if (hasCount)
        {
            return ResourceRefs.Mark(DValue.List(instances.Select(i => i.Body).ToList()), _prefix + key);
        }

        if (hasForEach)
        {
            return ResourceRefs.Mark(DValue.Map(instances.ToDictionary(i => i.Index?.TryString() ?? i.Key, i => i.Body, StringComparer.Ordinal)), _prefix + key);
        }

        return instances.Count == 1 ? instances[0].Body : DValue.Unknown(_prefix + key);
    }

    private List<(string Key, DValue? Index, DValue Body)>? InstancesCached(HclBlock block, string key)
    {
        if (_resources.TryGetValue(key, out var list))
        {
            return list;
        }

        if (_evaluating.Count > MaxReferenceChain || !_evaluating.Add(key))
        {
            return null; // a reference cycle: the referring value stays unknown
        }

        try
        {
            list = Instances(block);
            _resources[key] = list;
            return list;
        }
        finally
        {
            _evaluating.Remove(key);
        }
    }

    /// <summary>Expands count / for_each into instances; an unresolvable count or for_each gives one instance with unknown keys.</summary>
    private List<(string Key, DValue? Index, DValue Body)> Instances(HclBlock block)
    {
        var cacheKey = (block.Type == "data" ? "data." : string.Empty) + block.Labels[0] + "." + block.Labels[1];
        if (_resources.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var address = cacheKey;
        var result = new List<(string, DValue?, DValue)>();
        var scope = Scope;
        if (block.Body.Attribute("count") is { } countAttr)
        {
            var count = HclEvaluator.Evaluate(countAttr.Expr, scope).TryNumber();
            if (count is null)
            {
                result.Add(("[0]", null, Mark(EvalBody(block.Body, scope.With("count", Obj(("index", DValue.Unknown()))), true, 0), address)));
            }
            else
            {
                var granted = _loader.TakeInstances((int)Math.Min(count.Value, int.MaxValue));
                for (var i = 0; i < granted; i++)
                {
                    var s = scope.With("count", Obj(("index", DValue.Num(i))));
                    result.Add(($"[{i}]", DValue.Num(i), Mark(EvalBody(block.Body, s, true, 0), $"{address}[{i}]")));
                }
            }
        }
        else if (block.Body.Attribute("for_each") is { } feAttr)
        {
            var fe = HclEvaluator.Evaluate(feAttr.Expr, scope);
            if (!fe.IsKnown || fe.ContainsUnknown() && fe.Kind != DKind.Map)
            {
                var s = scope.With("each", Obj(("key", DValue.Unknown()), ("value", DValue.Unknown())));
                result.Add(("[\"?\"]", null, Mark(EvalBody(block.Body, s, true, 0), address)));
            }
            else
            {
                foreach (var (k, v) in HclEvaluator.Pairs(fe).Take(_loader.TakeInstances(fe.Kind == DKind.List ? fe.Items.Count : fe.Fields.Count)))
                {
                    // for_each over a set: each.key and each.value are both the element.
                    var key = fe.Kind == DKind.List ? v : k;
                    var s = scope.With("each", Obj(("key", key), ("value", v)));
                    var ks = key.TryString() ?? "?";
                    result.Add(($"[\"{ks}\"]", key, Mark(EvalBody(block.Body, s, true, 0), $"{address}[\"{ks}\"]")));
                }
            }
        }
        else
        {
            result.Add((string.Empty, null, Mark(EvalBody(block.Body, scope, true, 0), address)));
        }

        return result;
    }

    private DValue Mark(DValue body, string address) => ResourceRefs.Mark(body, _prefix + address);

    private static DValue Obj(params (string Key, DValue Value)[] fields) =>
        DValue.Map(fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));

    /// <summary>A block body as a map: attributes by name, nested blocks as lists of maps under their type (dynamic blocks expanded).</summary>
    private DValue EvalBody(HclBody body, HclScope scope, bool resourceLevel, int depth)
    {
        if (depth > _loader.Options.MaxDepth)
        {
            throw new IacParseException("block nesting too deep", body.Line);
        }

        var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
        foreach (var attr in body.Attributes)
        {
            if (resourceLevel && MetaAttributes.Contains(attr.Name))
            {
                continue;
            }

            map[attr.Name] = HclEvaluator.Evaluate(attr.Expr, scope).At(attr.Line, attr.EndLine);
        }

        var blocks = new Dictionary<string, List<DValue>>(StringComparer.Ordinal);
        foreach (var block in body.Blocks)
        {
            if (resourceLevel && MetaBlocks.Contains(block.Type))
            {
                continue;
            }

            if (block.Type == "dynamic" && block.Labels.Count == 1)
            {
                ExpandDynamic(block, scope, depth, blocks);
                continue;
            }

            Add(blocks, block.Type, EvalBody(block.Body, scope, false, depth + 1).At(block.Line, block.EndLine));
        }

        foreach (var (type, list) in blocks)
        {
            map[type] = DValue.List(list, list[0].Line, list[^1].EndLine);
        }

        return DValue.Map(map, body.Line, body.EndLine);
    }

    private void ExpandDynamic(HclBlock block, HclScope scope, int depth, Dictionary<string, List<DValue>> blocks)
    {
        var type = block.Labels[0];
        var content = block.Body.Blocks.Find(b => b.Type == "content");
        if (content is null || block.Body.Attribute("for_each") is not { } feAttr)
        {
            return;
        }

        var iterator = block.Body.Attribute("iterator")?.Expr is VariableExpr it ? it.Name : type;
        var fe = HclEvaluator.Evaluate(feAttr.Expr, scope);
        if (!fe.IsKnown)
        {
            // Unknown collection: one block whose iterator values are unknown, so its settings read as unresolved.
            var s = scope.With(iterator, Obj(("key", DValue.Unknown()), ("value", DValue.Unknown())));
            Add(blocks, type, EvalBody(content.Body, s, false, depth + 1).At(block.Line, block.EndLine));
            return;
        }

        foreach (var (k, v) in HclEvaluator.Pairs(fe).Take(MaxInstances))
        {
            var s = scope.With(iterator, Obj(("key", fe.Kind == DKind.List ? k : k), ("value", v)));
            Add(blocks, type, EvalBody(content.Body, s, false, depth + 1).At(block.Line, block.EndLine));
        }
    }

    private static void Add(Dictionary<string, List<DValue>> blocks, string type, DValue value)
    {
        if (!blocks.TryGetValue(type, out var list))
        {
            blocks[type] = list = [];
        }

        list.Add(value);
    }

    /// <summary>
    /// The instances of a module call: one, or one per count index / for_each key. Null while being built, so a
    /// module that refers to itself through its inputs reads as unknown.
    /// </summary>
    private List<(DValue? Key, TfModuleContext Context)>? Children(string name)
    {
        if (_children.TryGetValue(name, out var cached))
        {
            return cached;
        }

        _children[name] = null;
        var (_, block) = _def.Modules.Find(m => m.Block.Labels[0] == name);
        var result = new List<(DValue?, TfModuleContext)>();
        if (block is not null && _depth < MaxModuleDepth && _loader.LocalSource(_def.Dir, block) is { } dir && _loader.Module(dir) is { } def)
        {
            var scope = Scope;
            var instances = new List<(DValue? Key, string Suffix, HclScope Scope)>();
            if (block.Body.Attribute("count") is { } c)
            {
                var count = HclEvaluator.Evaluate(c.Expr, scope).TryNumber();
                var n = count is null ? 1 : _loader.TakeInstances((int)Math.Min(count.Value, int.MaxValue));
                for (var i = 0; i < n; i++)
                {
                    var index = count is null ? DValue.Unknown() : DValue.Num(i);
                    instances.Add((count is null ? null : index, count is null ? string.Empty : $"[{i}]", scope.With("count", Obj(("index", index)))));
                }
            }
            else if (block.Body.Attribute("for_each") is { } fe)
            {
                var coll = HclEvaluator.Evaluate(fe.Expr, scope);
                if (!coll.IsKnown)
                {
                    instances.Add((null, string.Empty, scope.With("each", Obj(("key", DValue.Unknown()), ("value", DValue.Unknown())))));
                }
                else
                {
                    var pairs = HclEvaluator.Pairs(coll).ToList();
                    foreach (var (k, v) in pairs.Take(_loader.TakeInstances(pairs.Count)))
                    {
                        var key = coll.Kind == DKind.List ? v : k;
                        instances.Add((key, $"[\"{key.TryString() ?? "?"}\"]", scope.With("each", Obj(("key", key), ("value", v)))));
                    }
                }
            }
            else
            {
                instances.Add((null, string.Empty, scope));
            }

            foreach (var (key, suffix, instanceScope) in instances)
            {
                var inputs = new Dictionary<string, DValue>(StringComparer.Ordinal);
                foreach (var attr in block.Body.Attributes)
                {
                    if (attr.Name is "source" or "version" or "count" or "for_each" or "providers" or "depends_on")
                    {
                        continue;
                    }

                    inputs[attr.Name] = HclEvaluator.Evaluate(attr.Expr, instanceScope);
                }

                result.Add((key, new TfModuleContext(_loader, def, _prefix + "module." + name + suffix + ".", inputs, _depth + 1)));
            }
        }

        _children[name] = result;
        return result;
    }

    private DValue Outputs(TfModuleContext child)
    {
        var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
        foreach (var (output, (_, block)) in child._def.Outputs)
        {
            if (block.Body.Attribute("value") is { } v)
            {
                map[output] = HclEvaluator.Evaluate(v.Expr, child.Scope);
            }
        }

        return DValue.Map(map);
    }

    /// <summary><c>module.x</c>: the outputs object, or a list / map of them for count / for_each modules.</summary>
    private DValue ModuleOutputs(string name)
    {
        var children = Children(name);
        if (children is null || children.Count == 0)
        {
            return DValue.Unknown("module." + name);
        }

        var block = _def.Modules.Find(m => m.Block.Labels[0] == name).Block;
        if (block.Body.Attribute("count") is not null && children[0].Key is not null)
        {
            return DValue.List(children.Select(c => Outputs(c.Context)).ToList());
        }

        if (block.Body.Attribute("for_each") is not null && children[0].Key is not null)
        {
            return DValue.Map(children.ToDictionary(c => c.Key!.TryString() ?? "?", c => Outputs(c.Context), StringComparer.Ordinal));
        }

        return children.Count == 1 ? Outputs(children[0].Context) : DValue.Unknown("module." + name);
    }
}
