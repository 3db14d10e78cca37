using System.CommandLine;
using Pipeline.Cli.Commands;

// The composition of the command line: every command is listed here, nothing registers itself.
var root = new RootCommand("pipeline: container image, filesystem and infrastructure-as-code security scanner")
{
    ScanCommand.Create(),
    DbCommand.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A usage error: say what is wrong, one line each, and exit 2 (1 is a failed scan).
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine("error: " + error.Message);
    }

    Console.Error.WriteLine("Run with --help for usage.");
    return 2;
}

return await parsed.InvokeAsync();
