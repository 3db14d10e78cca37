using System.Diagnostics;

namespace Pipeline.TestKit;

/// <summary>Runs the real tools tests build fixtures with (debootstrap, umoci, skopeo, dpkg, rpm) and fails loudly.</summary>
public static class Tool
{
    /// <summary>Runs a command, returns its standard output; throws with stderr when it exits non-zero.</summary>
    public static string Run(string file, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} timed out.");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', psi.ArgumentList)} exited {p.ExitCode}: {stderr.Result}{stdout.Result}");
        }

        return stdout.Result;
    }

    /// <summary>Runs a shell command line with bash.</summary>
    public static string Sh(string script, string? workingDirectory = null, TimeSpan? timeout = null) =>
        Run("bash", ["-euo", "pipefail", "-c", script], workingDirectory, timeout);
}
