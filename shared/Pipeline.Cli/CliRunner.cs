using Pipeline.Analysis.Streams;
using Pipeline.Cli.Commands;
using Pipeline.Registry;

namespace Pipeline.Cli;

/// <summary>Runs a command body and turns every expected failure into one clear line on stderr and an exit code.</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CliException e)
        {
            return Fail(e.Message, e.ExitCode);
        }
        catch (RegistryException e)
        {
            return Fail(e.Message);
        }
        catch (LayerException e)
        {
            return Fail(e.Message);
        }
        catch (FormatException e)
        {
            return Fail(e.Message, 2);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
        {
            return Fail(e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail("cancelled", 130);
        }
    }

    private static int Fail(string message, int code = 1)
    {
        Console.Error.WriteLine("error: " + message.ReplaceLineEndings(" "));
        return code;
    }
}
