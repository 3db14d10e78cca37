using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Pipeline.Core.Analysis;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;

namespace Pipeline.Core.Tests.Json;

/// <summary>
/// The native command-line tool writes reports and reads cache entries through source-generated metadata only.
/// Its JSON must be byte for byte what reflection-based serialization with the same options writes, and read back
/// to the same document.
/// </summary>
public sealed class SourceGeneratedJsonTests
{
    private static readonly JsonSerializerOptions Reflection = CreateReflectionOnly();

    [Fact]
    public void Report_written_from_generated_metadata_equals_the_reflection_form()
    {
        var report = SampleReport();
        var generated = JsonSerializer.Serialize(report, PipelineJson.TypeInfo<ScanReport>(PipelineJson.Options));
        // As in the native tool: no reflection resolver and no reflection-based enum converter.
        var viaContextOnly = JsonSerializer.Serialize(report, ContextOnly().GetTypeInfo(typeof(ScanReport)));

        Assert.Equal(JsonSerializer.Serialize(report, Reflection), generated);
        Assert.Equal(generated, viaContextOnly);
        Assert.Contains("\"severity\": \"HIGH\"", generated, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"fixed\"", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("\"suppressed\"", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void Layer_analysis_round_trips_through_generated_metadata()
    {
        var analysis = new LayerAnalysis
        {
            Digest = "sha256:" + new string('a', 64),
            DiffId = "sha256:" + new string('b', 64),
            Analyzers = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["dpkg"] = 3, ["os"] = 1 },
            Os = [new OsFact { Path = "etc/os-release", Analyzer = "os", Os = new OsInfo { Family = "debian", Version = "12" }, Priority = 2 }],
            PackageSets = [new PackageSet { Analyzer = "dpkg", Path = "var/lib/dpkg/status", Packages = [SamplePackage()] }],
            OwnedFiles = [new OwnedFiles { Path = "var/lib/dpkg/info/bash.list", Package = "bash", Files = ["bin/bash", "usr/share/doc/bash/copyright"] }],
            Whiteouts = ["etc/old.conf"],
            OpaqueDirs = ["var/cache/apt"],
        };
        var options = ContextOnly(indented: false);

        var json = JsonSerializer.Serialize(analysis, options.GetTypeInfo(typeof(LayerAnalysis)));
        var back = (LayerAnalysis)JsonSerializer.Deserialize(json, options.GetTypeInfo(typeof(LayerAnalysis)))!;

        Assert.Equal(JsonSerializer.Serialize(analysis, CreateReflectionOnly(indented: false)), json);
        Assert.Equal(json, JsonSerializer.Serialize(back, options.GetTypeInfo(typeof(LayerAnalysis))));
        Assert.Equal("2.36-9+deb12u4", back.PackageSets[0].Packages[0].SourceVersion);
    }

    private static Package SamplePackage() => new()
    {
        Name = "libc6",
        Version = "2.36-9+deb12u4",
        Type = "deb",
        SourceName = "glibc",
        SourceVersion = "2.36-9+deb12u4",
        Path = "var/lib/dpkg/status",
        Purl = "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
    };

    private static ScanReport SampleReport() => new()
    {
        CreatedAt = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero),
        Artifact = new ArtifactInfo { Name = "127.0.0.1:5000/app:1", Digest = "sha256:" + new string('c', 64), Platform = "linux/amd64" },
        Os = new OsInfo { Family = "debian", Version = "12" },
        Packages = [SamplePackage()],
        Vulnerabilities =
        [
            new VulnerabilityFinding
            {
                Id = "DSA-5678-1", Aliases = ["CVE-2024-2961"], Package = "libc6", PackageType = "deb", InstalledVersion = "2.36-9+deb12u4",
                FixedVersion = "2.36-9+deb12u6", Status = FixStatus.Fixed, Severity = Severity.High, SeveritySource = "cvss-v3", CvssScore = 7.3,
                Title = "glibc: iconv buffer overflow", References = ["https://security-tracker.debian.org/tracker/CVE-2024-2961"],
            },
        ],
        Layers = [new LayerReport { Digest = "sha256:" + new string('d', 64), DiffId = "sha256:" + new string('e', 64), Size = 1234, Status = "cached" }],
        Errors = [new AnalysisError { Analyzer = "rpm", Path = "var/lib/rpm/Packages", Message = "corrupt" }],
        Verdict = "fail",
    };

    private static JsonSerializerOptions ContextOnly(bool indented = true)
    {
        var o = new JsonSerializerOptions(indented ? PipelineJson.Options : PipelineJson.Compact) { TypeInfoResolver = PipelineJsonContext.Default };
        o.Converters.Clear();
        o.Converters.Add(new SeverityJsonConverter());
        return o;
    }

    private static JsonSerializerOptions CreateReflectionOnly(bool indented = true)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        o.Converters.Add(new SeverityJsonConverter());
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return o;
    }
}
