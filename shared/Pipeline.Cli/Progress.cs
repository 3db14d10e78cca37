using Pipeline.Analysis.Scanning;
using Spectre.Console;

namespace Pipeline.Cli;

/// <summary>
/// The live display while layers are pulled and analyzed: shown on stderr when it is a terminal and the
/// user did not ask for quiet, so piped output (json, sarif) stays clean.
/// </summary>
internal sealed class Progress : IProgress<ScanProgress>
{
    private readonly IAnsiConsole? _console;
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private ProgressContext? _context;

    private Progress(IAnsiConsole? console)
    {
        _console = console;
    }

    public static Progress Create(bool quiet)
    {
        if (quiet || Console.IsErrorRedirected)
        {
            return new Progress(null);
        }

        return new Progress(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (_console is null)
        {
            return await work();
        }

        return await _console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                _context = ctx;
                return await work();
            });
    }

    public void Report(ScanProgress value)
    {
        if (_context is null)
        {
            return;
        }

        lock (_tasks)
        {
            var key = value.Platform + value.LayerDigest;
            if (!_tasks.TryGetValue(key, out var task))
            {
                task = _context.AddTask(Label(value), maxValue: 1);
                _tasks[key] = task;
            }

            task.Description = Label(value);
            if (value.Stage is "analyzed" or "cached" or "skipped" or "failed")
            {
                task.Value = 1;
                task.StopTask();
            }
        }
    }

    private static string Label(ScanProgress p) =>
        Markup.Escape($"{p.Platform} {p.LayerDigest[..Math.Min(19, p.LayerDigest.Length)]} {p.Size / 1024.0 / 1024.0:0.0} MB {p.Stage}");
}
