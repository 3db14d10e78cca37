using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Analysis.Merging;
using Pipeline.Core.Analysis;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Tests.Support;
using Pipeline.TestKit;

namespace Pipeline.Functions.Tests.Engine;

public sealed class EngineDetectorSourceTests
{
    [Fact]
    public async Task AcquireAsync_NewerDatabaseWhileAnOlderLeaseIsHeld_OlderDetectorsStillMatch()
    {
        var work = TestPaths.NewTempDir("detectors");
        var older = TestDatabases.Build(work, "v1", "zlib");
        var newer = TestDatabases.Build(work, "v2", "zlib", "glibc");
        using var source = new EngineDetectorSource(TimeProvider.System, Options.Create(new PipelineOptions { DatabaseCacheDirectory = work }), NullLogger<EngineDetectorSource>.Instance);

        using var lease = await source.AcquireAsync(older);
        using (await source.AcquireAsync(newer))
        {
        }

        var report = new ScanReport
        {
            Os = new OsInfo { Family = "debian", Version = "12" },
            Packages = [new Package { Name = "zlib1g", Version = "1:1.2.13.dfsg-1", Type = PackageTypes.Deb, SourceName = "zlib", Path = "var/lib/dpkg/status" }],
        };
        await new ReportAssembler(lease.Detectors, TimeProvider.System).RunDetectorsAsync(new DetectionContext(null, new MergedImage()), report, default);

        Assert.Empty(report.Errors);
        Assert.Equal(["DEBIAN-CVE-2023-45853"], report.Vulnerabilities.Select(v => v.Id));
    }
}
