using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Hcl;

/// <summary>A parsed HCL file or block body: attributes and nested blocks in source order.</summary>
internal sealed class HclBody
{
    public List<HclAttribute> Attributes { get; } = [];

    public List<HclBlock> Blocks { get; } = [];

    public int Line { get; init; }

    public int EndLine { get; set; }

    public HclAttribute? Attribute(string name) => Attributes.Find(a => a.Name == name);
}

internal sealed record HclAttribute(string Name, HclExpr Expr, int Line, int EndLine);

internal sealed record HclBlock(string Type, IReadOnlyList<string> Labels, HclBody Body, int Line, int EndLine);

/// <summary>An HCL expression; every node keeps the lines it spans.</summary>
internal abstract record HclExpr
{
    public int Line { get; init; }

    public int EndLine { get; init; }
}

internal sealed record LiteralExpr(DValue Value) : HclExpr;

/// <summary>A template: literal text, interpolations and directives.</summary>
internal sealed record TemplateExpr(IReadOnlyList<TemplatePart> Parts) : HclExpr;

internal abstract record TemplatePart;

internal sealed record TemplateLiteral(string Text) : TemplatePart;

internal sealed record TemplateInterpolation(HclExpr Expr) : TemplatePart;

internal sealed record TemplateIf(HclExpr Condition, IReadOnlyList<TemplatePart> Then, IReadOnlyList<TemplatePart> Else) : TemplatePart;

internal sealed record TemplateFor(string? KeyVar, string ValueVar, HclExpr Collection, IReadOnlyList<TemplatePart> Body) : TemplatePart;

internal sealed record VariableExpr(string Name) : HclExpr;

internal sealed record GetAttrExpr(HclExpr Source, string Name) : HclExpr;

internal sealed record IndexExpr(HclExpr Source, HclExpr Key) : HclExpr;

/// <summary><c>source[*].each</c>: <see cref="Each"/> is applied to every element through <see cref="SplatItemExpr"/>.</summary>
internal sealed record SplatExpr(HclExpr Source, HclExpr Each) : HclExpr;

internal sealed record SplatItemExpr : HclExpr;

internal sealed record CallExpr(string Name, IReadOnlyList<HclExpr> Args, bool ExpandLast) : HclExpr;

internal sealed record ConditionalExpr(HclExpr Condition, HclExpr Then, HclExpr Else) : HclExpr;

internal sealed record BinaryExpr(string Op, HclExpr Left, HclExpr Right) : HclExpr;

internal sealed record UnaryExpr(string Op, HclExpr Operand) : HclExpr;

internal sealed record TupleExpr(IReadOnlyList<HclExpr> Items) : HclExpr;

internal sealed record ObjectExpr(IReadOnlyList<(HclExpr Key, HclExpr Value)> Items) : HclExpr;

internal sealed record ForExpr(string? KeyVar, string ValueVar, HclExpr Collection, HclExpr? KeyExpr, HclExpr ValueExpr, HclExpr? Condition, bool Grouping) : HclExpr;
