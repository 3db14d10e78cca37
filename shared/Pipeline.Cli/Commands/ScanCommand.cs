using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline scan image|fs|iac</c>.</summary>
internal static class ScanCommand
{
    public static Command Create() => new("scan", "Scan an image, a directory or infrastructure-as-code")
    {
        ScanImageCommand.Create(),
        ScanFsCommand.Create(),
        ScanIacCommand.Create(),
    };
}
