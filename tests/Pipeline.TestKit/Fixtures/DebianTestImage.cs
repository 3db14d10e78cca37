namespace Pipeline.TestKit.Fixtures;

/// <summary>
/// A real four-layer OCI image in an OCI layout, built with umoci from a debootstrap bookworm root and cached
/// in <see cref="TestPaths.Cache"/>:
/// <list type="number">
/// <item>the debootstrap minbase root;</item>
/// <item>an application layer that adds files, changes <c>etc/hostname</c>, deletes <c>usr/share/doc/bash</c>
/// and installs jq (with libjq1, libonig5) with <c>dpkg --root</c>;</item>
/// <item>a layer that adds secrets: an OpenSSH private key, an AWS key pair and a GitHub token in a script;</item>
/// <item>a layer that deletes those secrets again.</item>
/// </list>
/// Tag <c>app</c> is layers 1–2, tag <c>secrets</c> is layers 1–4. <see cref="FinalRoot"/> is the root as
/// the image's last layer leaves it, for comparing inventories with <c>dpkg-query</c>.
/// </summary>
public static class DebianTestImage
{
    private static readonly Lazy<Built> Image = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The OCI layout directory.</summary>
    public static string Layout => Image.Value.Layout;

    /// <summary>The root filesystem after layer 2 (the <c>app</c> tag).</summary>
    public static string AppRoot => Image.Value.AppRoot;

    /// <summary>The root filesystem after layer 4 (the <c>secrets</c> tag).</summary>
    public static string FinalRoot => Image.Value.FinalRoot;

    /// <summary>The secret values planted in layer 3, so tests can prove no output contains them.</summary>
    public static IReadOnlyList<string> PlantedSecrets => Image.Value.Secrets;

    private sealed record Built(string Layout, string AppRoot, string FinalRoot, IReadOnlyList<string> Secrets);

    private static Built Build()
    {
        var dir = Path.Combine(TestPaths.Cache, "images", "debian-test-image-v2");
        var layout = Path.Combine(dir, "layout");
        var appRoot = Path.Combine(dir, "app-root");
        var finalRoot = Path.Combine(dir, "final-root");
        var secretsFile = Path.Combine(dir, "secrets.txt");
        var done = Path.Combine(dir, ".done");
        if (File.Exists(done))
        {
            return new Built(layout, appRoot, finalRoot, File.ReadAllLines(secretsFile));
        }

        var baseRoot = DebianRoot.Path;
        using var gate = FileLock.Acquire(dir + ".lock");
        if (File.Exists(done))
        {
            return new Built(layout, appRoot, finalRoot, File.ReadAllLines(secretsFile));
        }

        if (Directory.Exists(dir))
        {
            Tool.Run("rm", ["-rf", dir]);
        }

        Directory.CreateDirectory(dir);
        var bundle = Path.Combine(dir, "bundle");
        var rootfs = Path.Combine(bundle, "rootfs");
        Tool.Run("umoci", ["init", "--layout", layout]);
        Tool.Run("umoci", ["new", "--image", layout + ":empty"]);
        Tool.Run("umoci", ["unpack", "--image", layout + ":empty", bundle]);

        // Layer 1: the debootstrap root.
        Tool.Run("rm", ["-rf", rootfs]);
        Tool.Run("cp", ["-a", baseRoot, rootfs]);
        Tool.Run("umoci", ["repack", "--refresh-bundle", "--image", layout + ":base", bundle]);

        // Layer 2: add, change, delete, and install packages with dpkg --root.
        Directory.CreateDirectory(Path.Combine(rootfs, "opt/app"));
        File.WriteAllText(Path.Combine(rootfs, "opt/app/README"), "demo application\n");
        File.WriteAllText(Path.Combine(rootfs, "etc/hostname"), "pipeline-test\n");
        Tool.Run("rm", ["-rf", Path.Combine(rootfs, "usr/share/doc/bash")]);
        var debs = Path.Combine(TestPaths.Cache, "debs", "jq");
        if (!Directory.Exists(debs) || Directory.GetFiles(debs, "*.deb").Length < 3)
        {
            Directory.CreateDirectory(debs);
            Tool.Run("apt-get", ["download", "jq", "libjq1", "libonig5"], workingDirectory: debs);
        }

        Tool.Run("dpkg", ["--root=" + rootfs, "--force-script-chrootless", "--no-triggers", "-i", .. Directory.GetFiles(debs, "*.deb").Order()]);
        Tool.Run("umoci", ["repack", "--refresh-bundle", "--image", layout + ":app", bundle]);
        Tool.Run("cp", ["-a", rootfs, appRoot]);

        // Layer 3: secrets. Values are made here, never stored in the repository.
        var keyPath = Path.Combine(rootfs, "root/.ssh/id_ed25519");
        Directory.CreateDirectory(Path.GetDirectoryName(keyPath)!);
        Tool.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-C", "ci@example", "-f", keyPath]);
        var rng = new Random(20261123);
        string Pick(string alphabet, int n) => new([.. Enumerable.Range(0, n).Select(_ => alphabet[rng.Next(alphabet.Length)])]);
        var upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var base64ish = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var awsId = "AKIA" + Pick(upperDigits, 16);
        var awsSecret = Pick(base64ish, 40);
        var github = "ghp_" + Pick(alnum, 36);
        Directory.CreateDirectory(Path.Combine(rootfs, "root/.aws"));
        File.WriteAllText(Path.Combine(rootfs, "root/.aws/credentials"), $"[default]\naws_access_key_id = {awsId}\naws_secret_access_key = {awsSecret}\n");
        File.WriteAllText(Path.Combine(rootfs, "opt/app/deploy.sh"), $"#!/bin/sh\nset -e\nexport GITHUB_TOKEN={github}\ncurl -H \"Authorization: token $GITHUB_TOKEN\" https://api.github.com/user\n");
        var privateKeyBody = string.Join(string.Empty, File.ReadAllLines(keyPath).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        Tool.Run("umoci", ["repack", "--refresh-bundle", "--image", layout + ":with-secrets", bundle]);

        // Layer 4: delete them again. They stay in layer 3 for anyone who pulls the image.
        Tool.Run("rm", ["-rf", Path.Combine(rootfs, "root/.ssh"), Path.Combine(rootfs, "root/.aws"), Path.Combine(rootfs, "opt/app/deploy.sh")]);
        Tool.Run("umoci", ["repack", "--refresh-bundle", "--image", layout + ":secrets", bundle]);
        Tool.Run("cp", ["-a", rootfs, finalRoot]);
        Tool.Run("rm", ["-rf", bundle]);
        Tool.Run("umoci", ["gc", "--layout", layout]);

        string[] secrets = [awsSecret, github, privateKeyBody];
        File.WriteAllLines(secretsFile, secrets);
        File.WriteAllText(done, DateTimeOffset.UtcNow.ToString("O"));
        return new Built(layout, appRoot, finalRoot, secrets);
    }
}
