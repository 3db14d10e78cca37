using Pipeline.Functions;
using Pipeline.Functions.CustomHandler;
using Pipeline.Functions.Ingress;

var builder = WebApplication.CreateBuilder(args);

// Under the Functions host the port comes from FUNCTIONS_CUSTOMHANDLER_PORT and the host drives the queues.
if (Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } port)
{
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
    builder.Configuration["Pipeline:RunQueueListeners"] ??= "false";
}

builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);
builder.Services.AddPipelineFunctions(builder.Configuration);

var app = builder.Build();

// Readiness probe of the Functions host: any answer on / counts.
app.MapGet("/", () => Results.Ok(new { status = "ready" }));
app.MapIngress();
app.MapCustomHandlerFunctions();
await app.RunAsync();

/// <summary>The app's entry point, public for WebApplicationFactory in tests.</summary>
public partial class Program;
