using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.TestKit;
using Pipeline.TestKit.Azurite;
using Pipeline.TestKit.Functions;
using Pipeline.TestKit.Images;
using Pipeline.TestKit.Registry;
using Pipeline.TestKit.Webhooks;
using Pipeline.Vulnerabilities.Database;

namespace Pipeline.Benchmarks.Pipeline;

/// <summary>
/// The serverless pipeline end to end, on real components: Azurite, a docker-registry notifying the ingress, the
/// function app as its own process (standalone listeners), a webhook receiver. Measures push-to-webhook latency for
/// a debootstrap bookworm minbase image with a cold layer cache and warm (new digests sharing the layer), and the
/// wall time of one layer worker against four on a four-layer image, each printed with its ratio.
/// Usage: <c>pipeline APP_DLL [WORK_DIR] [RUNS]</c> (tests/bench/pipeline.sh builds the app and passes its dll).
/// </summary>
internal static class PipelineBenchmark
{
    private const string Tenant = "bench";
    private const string IngressSecret = "bench-ingress-shared-secret";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: pipeline APP_DLL [WORK_DIR] [RUNS]");
            return 2;
        }

        var app = Path.GetFullPath(args[0]);
        var work = Directory.CreateDirectory(args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "pipeline-bench")).FullName;
        var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var layout = BuildImages(Path.Combine(work, "layout"), runs);
        var database = BuildDatabase(Path.Combine(work, "db", "pipeline.db"));

        // Latency: one deployment, as it would run; the first push finds an empty layer cache.
        var latency = new List<Push>();
        await using (var deployment = await Deployment.StartAsync(app, database, work, batchSize: null))
        {
            latency.Add(await deployment.PushAsync(layout, "debian", "bench/debian"));
            for (var i = 1; i <= runs; i++)
            {
                latency.Add(await deployment.PushAsync(layout, $"warm{i}", "bench/debian"));
            }
        }

        // Workers: a fresh deployment (empty cache) per run, one layer message at a time against four at once.
        var workers = new List<(string Tag, List<Push> One, List<Push> Four)> { ("four", [], []), ("skewed", [], []) };
        for (var i = 0; i < runs; i++)
        {
            foreach (var (tag, one, four) in workers)
            {
                foreach (var (count, into) in new[] { (1, one), (4, four) })
                {
                    // A small image first, so one-off costs of a fresh process (JIT, the database download) do not
                    // land, serially, inside the measured scan: the figures compare steady-state workers.
                    await using var deployment = await Deployment.StartAsync(app, database, work, batchSize: count);
                    await deployment.PushAsync(layout, "tiny", "bench/tiny");
                    into.Add(await deployment.PushAsync(layout, tag, "bench/" + tag));
                }
            }
        }

        var cold = latency[0].Latency;
        var warm = Median(latency.Skip(1).Select(p => p.Latency));
        Console.WriteLine();
        Console.WriteLine($"pipeline push-to-webhook (end of skopeo push to signed webhook received), {Environment.ProcessorCount} cores");
        Console.WriteLine($"  debian bookworm minbase, cold cache  {cold,7:0.00} s   (skopeo push {latency[0].Upload:0.00} s)");
        Console.WriteLine($"  same layer, new digest, warm cache   {warm,7:0.00} s   {warm / cold:0.00}x cold   (median of {runs}: {Join(latency.Skip(1))}; goal <= 3 s)");
        foreach (var (tag, one, four) in workers)
        {
            var oneTime = Median(one.Select(p => p.Latency));
            var fourTime = Median(four.Select(p => p.Latency));
            Console.WriteLine($"  four-layer image \"{tag}\", layers {LayerSizes(layout, tag)}");
            Console.WriteLine($"    one worker                         {oneTime,7:0.00} s   (runs: {Join(one)})");
            Console.WriteLine($"    four workers                       {fourTime,7:0.00} s   {fourTime / oneTime:0.00}x one worker   (runs: {Join(four)}; goal <= 0.6x)");
        }

        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Join(IEnumerable<Push> pushes) => string.Join(", ", pushes.Select(p => p.Latency.ToString("0.00", CultureInfo.InvariantCulture)));

    /// <summary>
    /// One OCI layout, built once per work directory: <c>debian</c> (the debootstrap root as one layer), <c>warm1…N</c>
    /// (the same layer under new configs, so new digests), <c>four</c> (the same root in four layers of comparable
    /// size: the base system with the apt archives, /usr/lib, /usr/share, the apt lists) and <c>skewed</c> (the root
    /// plus three layers each adding a copy of /usr/share, as tests/bench/image.sh builds: one layer holds most bytes);
    /// <c>tiny</c> (/etc and the dpkg status, to warm a fresh deployment up).
    /// </summary>
    private static string BuildImages(string layout, int runs)
    {
        var done = layout + $".done-v3-{runs}";
        if (File.Exists(done))
        {
            return layout;
        }

        if (Directory.Exists(layout))
        {
            Tool.Run("rm", ["-rf", layout]);
        }

        Console.WriteLine($"bench: building images in {layout}");
        var debian = DebianRoot.Path;
        OciImageBuilder.Create(layout, "debian").AddLayer(debian);
        for (var i = 1; i <= runs; i++)
        {
            Tool.Run("umoci", ["config", "--image", $"{layout}:debian", "--tag", $"warm{i}", "--config.label", $"bench.variant={i}"]);
        }

        string[] split = ["usr/lib", "usr/share", "var/lib/apt/lists"];
        var four = OciImageBuilder.Create(layout, "four").AddLayer(root =>
        {
            Tool.Run("cp", ["-a", debian + "/.", root]);
            Tool.Run("rm", ["-rf", .. split.Select(d => Path.Combine(root, d))]);
        });
        foreach (var dir in split)
        {
            four.AddLayer(root => Tool.Run("cp", ["-a", Path.Combine(debian, dir), Path.Combine(root, dir)]));
        }

        OciImageBuilder.Create(layout, "tiny").AddLayer(root =>
        {
            Tool.Run("cp", ["-a", Path.Combine(debian, "etc"), Path.Combine(root, "etc")]);
            Directory.CreateDirectory(Path.Combine(root, "var", "lib", "dpkg"));
            File.Copy(Path.Combine(debian, "var", "lib", "dpkg", "status"), Path.Combine(root, "var", "lib", "dpkg", "status"));
        });

        var skewed = OciImageBuilder.Create(layout, "skewed").AddLayer(debian);
        for (var n = 2; n <= 4; n++)
        {
            var copy = $"opt-share-{n}";
            skewed.AddLayer(root => Tool.Run("cp", ["-a", Path.Combine(root, "usr", "share"), Path.Combine(root, copy)]));
        }

        File.WriteAllText(done, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return layout;
    }

    /// <summary>The compressed sizes of an image's layers, in MB.</summary>
    private static string LayerSizes(string layout, string tag)
    {
        var manifest = OciLayout.ReadBlob(layout, OciLayout.Find(layout, tag)["digest"]!.GetValue<string>());
        return string.Join(" + ", manifest["layers"]!.AsArray().Select(l => (l!["size"]!.GetValue<long>() / 1e6).ToString("0", CultureInfo.InvariantCulture))) + " MB compressed";
    }

    /// <summary>The repository's OSV test records (Debian, Alpine, npm, …) compiled, so the aggregator really matches.</summary>
    private static string BuildDatabase(string path)
    {
        if (!File.Exists(path))
        {
            new DatabaseBuilder(TimeProvider.System).Build([Path.Combine(TestPaths.RepoRoot, "tests", "Pipeline.Vulnerabilities.Tests", "testdata", "osv")], path);
        }

        return path;
    }

    /// <summary>How long one push took to upload and then to be announced.</summary>
    private sealed record Push(double Upload, double Latency);

    /// <summary>Azurite, a registry notifying the app's ingress, the app as its own process, and a webhook receiver.</summary>
    private sealed class Deployment : IAsyncDisposable
    {
        private readonly AzuriteFixture _azurite = new();
        private readonly WebhookReceiver _receiver = new();
        private RegistryFixture? _registry;
        private FunctionAppProcess? _app;

        public static async Task<Deployment> StartAsync(string appDll, string database, string work, int? batchSize)
        {
            var deployment = new Deployment();
            await deployment._azurite.InitializeAsync();
            var port = FreePort.Next();
            deployment._registry = new RegistryFixture(
                RegistryAuthMode.Anonymous,
                $"http://127.0.0.1:{port}/api/ingress/distribution/{Tenant}",
                new Dictionary<string, string> { ["X-Pipeline-Secret"] = IngressSecret }).Start();
            var settings = new Dictionary<string, string>
            {
                ["AzureWebJobsStorage"] = deployment._azurite.ConnectionString,
                ["Pipeline:HostJsonPath"] = HostJson(work, batchSize),
                ["Pipeline:PublishDatabase"] = database,
                ["Pipeline:DatabaseCacheDirectory"] = TestPaths.NewTempDir("bench-db"),
                [$"Pipeline:Tenants:{Tenant}:AllowedRegistries:0"] = deployment._registry.Host,
                [$"Pipeline:Tenants:{Tenant}:WebhookSecrets:0"] = IngressSecret,
                [$"Pipeline:Tenants:{Tenant}:Webhooks:0:Url"] = deployment._receiver.Url.ToString(),
                [$"Pipeline:Tenants:{Tenant}:Webhooks:0:Secret"] = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("a-32-byte-long-bench-signing-key")),
            };
            if (Environment.GetEnvironmentVariable("BENCH_APP_LOG") is { Length: > 0 })
            {
                settings["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ";
                settings["Logging:Console:FormatterOptions:SingleLine"] = "true";
            }

            deployment._app = new FunctionAppProcess(appDll, port, settings);
            await deployment._app.StartAsync();
            return deployment;
        }

        /// <summary>Pushes <c>oci:LAYOUT:TAG</c> with skopeo and waits for its webhook.</summary>
        public async Task<Push> PushAsync(string layout, string tag, string repository)
        {
            var before = _receiver.Requests.Count;
            var clock = Stopwatch.StartNew();
            await _registry!.PushAsync(layout, tag, repository);
            var upload = clock.Elapsed.TotalSeconds;
            var received = await _receiver.WaitForAsync(before + 1, Patience);
            var total = clock.Elapsed.TotalSeconds;
            if (!received.Body.Contains($"\"{repository}\"", StringComparison.Ordinal) || !received.Body.Contains($"\"{tag}\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The webhook announced another image than {repository}:{tag}: {received.Body[..Math.Min(400, received.Body.Length)]}");
            }

            return new Push(upload, total - upload);
        }

        public async ValueTask DisposeAsync()
        {
            if (Environment.GetEnvironmentVariable("BENCH_APP_LOG") is { Length: > 0 } log && _app is not null)
            {
                await File.AppendAllTextAsync(log, _app.Output);
            }

            _app?.Dispose();
            _registry?.Dispose();
            _receiver.Dispose();
            await _azurite.DisposeAsync();
        }

        /// <summary>
        /// The repository's host.json, or with <c>batchSize</c> set to <paramref name="batchSize"/> and a new-batch threshold
        /// that keeps that many messages in work (one worker: one message at a time).
        /// </summary>
        private static string HostJson(string work, int? batchSize)
        {
            var source = Path.Combine(TestPaths.RepoRoot, "functions", "host.json");
            if (batchSize is not { } n)
            {
                return source;
            }

            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(source))!;
            json["extensions"]!["queues"]!["batchSize"] = n;
            json["extensions"]!["queues"]!["newBatchThreshold"] = n - 1;
            var path = Path.Combine(work, $"host-{n}.json");
            File.WriteAllText(path, json.ToJsonString());
            return path;
        }
    }
}
