using System.CommandLine;
using Pipeline.Cli.Commands;

// The composition of the command line: every command is listed here, nothing registers itself.
var root = new RootCommand("pipeline: container image, filesystem and infrastructure-as-code security scanner")
{
    ScanCommand.Create(),
    DbCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
