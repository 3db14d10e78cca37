namespace Pipeline.Core.Model;

/// <summary>
/// The package types the analyzers emit (the <c>type</c> field of a report's packages, and the purl type
/// where they agree). An open set: values we do not know still flow through untouched.
/// </summary>
public static class PackageTypes
{
    public const string Deb = "deb";
    public const string Apk = "apk";
    public const string Rpm = "rpm";
    public const string Npm = "npm";
    public const string PyPI = "pypi";
    public const string Golang = "golang";
    public const string Maven = "maven";
    public const string NuGet = "nuget";
    public const string Cargo = "cargo";
    public const string Gem = "gem";
    public const string Composer = "composer";

    /// <summary>True for packages installed by the operating system's package manager.</summary>
    public static bool IsOs(string type) => type is Deb or Apk or Rpm;
}
