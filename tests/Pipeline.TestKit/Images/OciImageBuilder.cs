using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Pipeline.TestKit.Images;

/// <summary>
/// Builds real OCI images with <c>umoci</c>, one layer per call, into an OCI image layout directory.
/// <code>
/// var image = OciImageBuilder.Create(layoutDir, "1.0")
///     .AddLayer(rootfsDir)                                      // layer 1: the files of rootfsDir
///     .AddLayer(root => File.Delete(Path.Combine(root, "etc/motd")))  // layer 2: edits, deletions become whiteouts
///     .Config(user: "1000", env: ["A=b"]);
/// var source = image.Reference;                                  // "oci:DIR:1.0"
/// image.ToOciArchive(file); image.ToDockerArchive(file);
/// </code>
/// Each layer is made by <c>umoci unpack</c>, changing the unpacked root, then <c>umoci repack</c>, which
/// writes exactly the difference: new and changed files, and <c>.wh.</c> whiteouts for deleted ones.
/// </summary>
public sealed class OciImageBuilder
{
    private OciImageBuilder(string layoutDir, string tag)
    {
        LayoutDir = layoutDir;
        Tag = tag;
    }

    /// <summary>The OCI layout directory.</summary>
    public string LayoutDir { get; }

    /// <summary>The tag (<c>org.opencontainers.image.ref.name</c>) the image is written under.</summary>
    public string Tag { get; }

    /// <summary>The image as an image-source reference, <c>oci:DIR:TAG</c>.</summary>
    public string Reference => $"oci:{LayoutDir}:{Tag}";

    /// <summary>
    /// Starts an empty image (no layers) tagged <paramref name="tag"/> in <paramref name="layoutDir"/>, creating
    /// the layout if needed; several images may share one layout under different tags.
    /// </summary>
    public static OciImageBuilder Create(string layoutDir, string tag = "latest")
    {
        if (!File.Exists(Path.Combine(layoutDir, "index.json")))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(layoutDir))!);
            Tool.Run("umoci", ["init", "--layout", layoutDir]);
        }

        Tool.Run("umoci", ["new", "--image", $"{layoutDir}:{tag}"]);
        return new OciImageBuilder(layoutDir, tag);
    }

    /// <summary>Adds a layer holding the files of <paramref name="rootfsDir"/>, copied over the image's files (modes, owners and links kept).</summary>
    public OciImageBuilder AddLayer(string rootfsDir) =>
        AddLayer(root => Tool.Run("cp", ["-a", Path.GetFullPath(rootfsDir) + "/.", root]));

    /// <summary>
    /// Adds a layer made by <paramref name="edit"/>, which gets the path of the image's current root filesystem
    /// and may add, change and delete files there.
    /// </summary>
    public OciImageBuilder AddLayer(Action<string> edit)
    {
        var bundle = Path.Combine(Path.GetTempPath(), $"umoci-bundle-{Guid.NewGuid():N}");
        try
        {
            Tool.Run("umoci", ["unpack", "--image", $"{LayoutDir}:{Tag}", bundle], timeout: TimeSpan.FromMinutes(10));
            edit(Path.Combine(bundle, "rootfs"));
            Tool.Run("umoci", ["repack", "--image", $"{LayoutDir}:{Tag}", bundle], timeout: TimeSpan.FromMinutes(10));
        }
        finally
        {
            if (Directory.Exists(bundle))
            {
                Tool.Run("rm", ["-rf", bundle]);
            }
        }

        return this;
    }

    /// <summary>Sets image config fields with <c>umoci config</c>; null leaves a field as it is.</summary>
    public OciImageBuilder Config(
        string? user = null,
        IEnumerable<string>? env = null,
        IEnumerable<string>? entrypoint = null,
        IEnumerable<string>? cmd = null,
        string? workingDir = null,
        IDictionary<string, string>? labels = null,
        string? os = null,
        string? architecture = null)
    {
        var args = new List<string> { "config", "--image", $"{LayoutDir}:{Tag}" };
        void Add(string flag, string? value)
        {
            if (value is not null)
            {
                args.Add(flag);
                args.Add(value);
            }
        }

        Add("--config.user", user);
        Add("--config.workingdir", workingDir);
        Add("--os", os);
        Add("--architecture", architecture);
        foreach (var e in env ?? [])
        {
            Add("--config.env", e);
        }

        foreach (var e in entrypoint ?? [])
        {
            Add("--config.entrypoint", e);
        }

        foreach (var c in cmd ?? [])
        {
            Add("--config.cmd", c);
        }

        foreach (var (k, v) in labels ?? new Dictionary<string, string>())
        {
            Add("--config.label", $"{k}={v}");
        }

        Tool.Run("umoci", args);
        return this;
    }

    /// <summary>Writes the image as an oci-archive (a tar of an OCI layout) with <c>skopeo copy</c>; returns <paramref name="file"/>.</summary>
    public string ToOciArchive(string file)
    {
        Tool.Run("skopeo", ["--insecure-policy", "copy", "--quiet", $"oci:{LayoutDir}:{Tag}", $"oci-archive:{file}:{Tag}"]);
        return file;
    }

    /// <summary>Writes the image as <c>docker save</c> output with <c>skopeo copy</c>; returns <paramref name="file"/>.</summary>
    public string ToDockerArchive(string file, string imageName = "pipeline-test/image:latest")
    {
        Tool.Run("skopeo", ["--insecure-policy", "copy", "--quiet", $"oci:{LayoutDir}:{Tag}", $"docker-archive:{file}:{imageName}"]);
        return file;
    }

    /// <summary>The digest of this image's manifest, read from the layout's index.json.</summary>
    public string ManifestDigest => OciLayout.Find(LayoutDir, Tag)["digest"]!.GetValue<string>();

    /// <summary>The parsed manifest of this image.</summary>
    public JsonNode Manifest => OciLayout.ReadBlob(LayoutDir, ManifestDigest);

    /// <summary>The parsed image config.</summary>
    public JsonNode ImageConfig => OciLayout.ReadBlob(LayoutDir, Manifest["config"]!["digest"]!.GetValue<string>());

    /// <summary>
    /// Writes into <paramref name="layoutDir"/> a multi-platform image tagged <paramref name="tag"/>: an OCI index
    /// over <paramref name="images"/> (each built with its own <see cref="Config"/> os/architecture), with their
    /// blobs copied in. Push it with <c>skopeo copy --all</c> (see <c>RegistryFixture.PushAsync</c>).
    /// </summary>
    public static string CreateIndex(string layoutDir, string tag, params OciImageBuilder[] images)
    {
        if (!File.Exists(Path.Combine(layoutDir, "index.json")))
        {
            Tool.Run("umoci", ["init", "--layout", layoutDir]);
        }

        var manifests = new JsonArray();
        foreach (var image in images)
        {
            Tool.Run("cp", ["-an", Path.Combine(image.LayoutDir, "blobs") + "/.", Path.Combine(layoutDir, "blobs")]);
            var descriptor = OciLayout.Find(image.LayoutDir, image.Tag);
            var config = image.ImageConfig;
            var platform = new JsonObject { ["architecture"] = config["architecture"]!.GetValue<string>(), ["os"] = config["os"]!.GetValue<string>() };
            if (config["variant"] is { } variant)
            {
                platform["variant"] = variant.GetValue<string>();
            }

            manifests.Add(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = descriptor["digest"]!.GetValue<string>(),
                ["size"] = descriptor["size"]!.GetValue<long>(),
                ["platform"] = platform,
            });
        }

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = manifests,
        };
        var bytes = System.Text.Encoding.UTF8.GetBytes(index.ToJsonString());
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(layoutDir, "blobs", "sha256", digest[7..]), bytes);
        OciLayout.SetTag(layoutDir, tag, new JsonObject
        {
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["digest"] = digest,
            ["size"] = bytes.Length,
        });
        return layoutDir;
    }
}
