using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Pipeline.Iac.Parsing.Bicep;

/// <summary>The Bicep CLI is missing or rejected a file; <see cref="Line"/> is the first error's line when known.</summary>
internal sealed class BicepException : Exception
{
    public BicepException(string message, int line)
        : base(message)
    {
        Line = line;
    }

    public BicepException()
    {
    }

    public BicepException(string message)
        : base(message)
    {
    }

    public BicepException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Line { get; }
}

/// <summary>
/// Compiles a .bicep file to an ARM template with the Bicep CLI (<c>bicep build FILE --stdout</c>). The CLI
/// comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 restored with this project, or from
/// <see cref="IacScanOptions.BicepPath"/> / <c>$PIPELINE_BICEP</c>.
/// </summary>
internal static partial class BicepCompiler
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [GeneratedRegex(@"\((\d+),(\d+)\)\s*:\s*Error\s+(\S+):\s*(.*)")]
    private static partial Regex ErrorLine();

    public static string? Locate(IacScanOptions options)
    {
        if (options.BicepPath is { } configured)
        {
            return configured;
        }

        if (Environment.GetEnvironmentVariable("PIPELINE_BICEP") is { Length: > 0 } env)
        {
            return env;
        }

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var root = Path.Combine(packages, "azure.bicep.commandline.linux-x64");
        if (!Directory.Exists(root))
        {
            return null;
        }

        // The newest restored version wins; the central package version decides which one restore fetched.
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "tools", "bicep"))
            .Where(File.Exists)
            .OrderByDescending(f => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(f))), out var v) ? v : new Version(0, 0))
            .FirstOrDefault();
    }

    public static async Task<string> CompileAsync(string fullPath, string text, IacScanOptions options, CancellationToken ct)
    {
        var bicep = Locate(options) ?? throw new BicepException("the Bicep CLI was not found (restore Azure.Bicep.CommandLine.linux-x64 or set PIPELINE_BICEP)", 1);
        EnsureExecutable(bicep);

        // Compile a copy when the file is not on disk as-is (it came out of a zip).
        string? temp = null;
        if (!File.Exists(fullPath) || await File.ReadAllTextAsync(fullPath, ct).ConfigureAwait(false) != text)
        {
            temp = Path.Combine(Path.GetTempPath(), "pipeline-bicep-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(temp);
            fullPath = Path.Combine(temp, Path.GetFileName(fullPath));
            await File.WriteAllTextAsync(fullPath, text, ct).ConfigureAwait(false);
        }

        try
        {
            var psi = new ProcessStartInfo(bicep)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("build");
            psi.ArgumentList.Add(fullPath);
            psi.ArgumentList.Add("--stdout");
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            psi.Environment["BICEP_TRACING_ENABLED"] = "false";
            using var process = Process.Start(psi) ?? throw new BicepException("could not start the Bicep CLI", 1);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0 || output.Length == 0)
            {
                var m = ErrorLine().Match(errors);
                var message = m.Success ? $"{m.Groups[3].Value}: {m.Groups[4].Value.Trim()} (line {m.Groups[1].Value})" : errors.Trim();
                throw new BicepException(message, m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1);
            }

            return output;
        }
        finally
        {
            if (temp is not null)
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }
}
