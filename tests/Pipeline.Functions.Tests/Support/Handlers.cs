using Microsoft.Extensions.DependencyInjection;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Messages;

namespace Pipeline.Functions.Tests.Support;

internal static class HandlerExtensions
{
    public static IMessageHandler Handler(this FunctionsApp app, string queue) =>
        app.Services.GetServices<IMessageHandler>().Single(h => h.Queue == queue);

    public static Task<HandlerResult> HandleAsync<T>(this FunctionsApp app, string queue, T message) =>
        app.Handler(queue).HandleAsync(OutgoingMessage.Create(queue, message).Body, new MessageContext(Guid.NewGuid().ToString("N"), 1, null));

    public static List<T> Messages<T>(this HandlerResult result, string queue) =>
        [.. result.Messages.Where(m => m.Queue == queue).Select(m => MessageJson.Read<T>(m.Body))];

    public static string WebhookSecret { get; } = "whsec_" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("a-32-byte-long-test-signing-key!"));
}
