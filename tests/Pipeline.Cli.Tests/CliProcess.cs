using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>
/// Runs the <c>pipeline</c> script at the repository root as a user would: it builds the native command-line tool
/// on first use and runs it. The build happens once, before the first test's run, so no test sees its messages.
/// </summary>
internal static class CliProcess
{
    private static readonly string Script = Path.Combine(Pipeline.TestKit.TestPaths.RepoRoot, "pipeline");

    private static readonly Lazy<bool> Built = new(() =>
    {
        var r = Start(null, ["--version"]);
        return r.ExitCode == 0 ? true : throw new InvalidOperationException($"Building the command-line tool failed:\n{r.Stderr}");
    });

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonDocument Json() => JsonDocument.Parse(Stdout);
    }

    public static Result Run(params string[] args) => Run(null, args);

    public static Result Run(IDictionary<string, string>? env, params string[] args)
    {
        _ = Built.Value;
        return Start(env, args);
    }

    private static Result Start(IDictionary<string, string>? env, string[] args)
    {
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Script);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // Isolated from the machine: no user's database or layer cache leaks into a test's results.
        psi.Environment["PIPELINE_DB"] = Path.Combine(Path.GetTempPath(), "pipeline-tests-no-db", "pipeline.db");
        psi.Environment["PIPELINE_CACHE_DIR"] = Path.Combine(Path.GetTempPath(), "pipeline-tests-cache-" + Guid.NewGuid().ToString("N"));
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            p.Kill(true);
            throw new TimeoutException("pipeline " + string.Join(' ', args));
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
