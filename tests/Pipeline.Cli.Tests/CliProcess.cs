using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>Runs the real <c>pipeline</c> executable (built next to the tests) as a user would.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonDocument Json() => JsonDocument.Parse(Stdout);
    }

    public static Result Run(params string[] args) => Run(null, args);

    public static Result Run(IDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipeline.dll"));
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

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(true);
            throw new TimeoutException("pipeline " + string.Join(' ', args));
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
