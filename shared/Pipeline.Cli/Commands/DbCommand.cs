using System.CommandLine;
using Pipeline.Vulnerabilities.Database;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline db build|update|info</c>: compile, download and inspect the vulnerability database.</summary>
public static class DbCommand
{
    /// <summary>The <c>db</c> command group, to add to the root command.</summary>
    public static Command Create() => Create(TimeProvider.System);

    internal static Command Create(TimeProvider time)
    {
        var db = new Command("db", "Build, update and inspect the vulnerability database (OSV, compiled to SQLite).");
        db.Subcommands.Add(Build(time));
        db.Subcommands.Add(Update(time));
        db.Subcommands.Add(Info());
        return db;
    }

    private static Option<string> OutputOption(bool required) => new("--output", "-o")
    {
        Description = "The database file to write. Default: " + DefaultDescription,
        Required = required,
        DefaultValueFactory = required ? null! : _ => DatabaseLocation.Default,
    };

    private const string DefaultDescription = "$PIPELINE_DB, else $XDG_CACHE_HOME/pipeline/db/pipeline.db, else ~/.cache/pipeline/db/pipeline.db.";

    private static Command Build(TimeProvider time)
    {
        var from = new Option<string[]>("--from")
        {
            Description = "OSV sources: directories of *.json records, .json files, or osv.dev all.zip files.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = OutputOption(required: true);
        var command = new Command("build", "Compile OSV records into one SQLite database.") { from, output };
        command.SetAction((parse, cancellationToken) =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            try
            {
                var result = new DatabaseBuilder(time).Build(parse.GetRequiredValue(from), parse.GetRequiredValue(output), null, cancellationToken);
                Report(result, parse.GetRequiredValue(output), o, e);
                return Task.FromResult(0);
            }
            catch (FileNotFoundException ex)
            {
                e.WriteLine("error: " + ex.Message);
                return Task.FromResult(2);
            }
        });
        return command;
    }

    private static Command Update(TimeProvider time)
    {
        var baseUrl = new Option<string>("--base-url")
        {
            Description = "Where the per-ecosystem exports are: {base}/{Ecosystem}/all.zip.",
            DefaultValueFactory = _ => DatabaseUpdater.DefaultBaseUrl,
        };
        var ecosystems = new Option<string[]>("--ecosystem")
        {
            Description = "Ecosystems to download (repeatable). Default: " + string.Join(", ", DatabaseUpdater.DefaultEcosystems) + ".",
            AllowMultipleArgumentsPerToken = true,
        };
        var output = OutputOption(required: false);
        var command = new Command("update", "Download osv.dev's exports and rebuild the database; on failure the previous one is kept.") { baseUrl, ecosystems, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            if (!Uri.TryCreate(parse.GetValue(baseUrl), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                await e.WriteLineAsync($"error: --base-url '{parse.GetValue(baseUrl)}' is not an http(s) URL.");
                return 2;
            }

            var selected = parse.GetValue(ecosystems) is { Length: > 0 } list ? list : [.. DatabaseUpdater.DefaultEcosystems];
            var path = parse.GetRequiredValue(output);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            try
            {
                var result = await new DatabaseUpdater(http, new DatabaseBuilder(time)).UpdateAsync(uri, selected, path, cancellationToken);
                Report(result, path, o, e);
                return 0;
            }
            catch (DatabaseUpdateException ex)
            {
                await e.WriteLineAsync("error: " + ex.Message);
                return 1;
            }
        });
        return command;
    }

    private static Command Info()
    {
        var path = new Option<string>("--db")
        {
            Description = "The database to describe. Default: " + DefaultDescription,
            DefaultValueFactory = _ => DatabaseLocation.Default,
        };
        var command = new Command("info", "Print the database's metadata: schema, build time, sources, record counts.") { path };
        command.SetAction(parse =>
        {
            try
            {
                using var database = VulnerabilityDatabase.Open(parse.GetRequiredValue(path));
                parse.InvocationConfiguration.Output.Write(VulnerabilityDatabase.Describe(database.Metadata));
                return 0;
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
            {
                parse.InvocationConfiguration.Error.WriteLine("error: " + ex.Message);
                return 1;
            }
        });
        return command;
    }

    private static void Report(DatabaseBuildResult result, string path, TextWriter output, TextWriter error)
    {
        foreach (var warning in result.Warnings)
        {
            error.WriteLine("warning: " + warning);
        }

        var m = result.Metadata;
        output.WriteLine($"wrote {path}: {m.Advisories} advisories in {m.Ecosystems.Count} ecosystems ({m.Malformed} malformed, {m.Withdrawn} withdrawn, {m.Duplicates} duplicates skipped)");
    }
}
