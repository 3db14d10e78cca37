using Microsoft.Extensions.DependencyInjection;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Messages;

namespace Pipeline.Functions.Tests.Support;

/// <summary>
/// Runs the app's handlers over its real Azurite queues, a message at a time, writing what each returns to the
/// queues as the listeners do, until every queue is empty. Deterministic where the listeners poll: when it
/// returns, everything the pipeline would do has been done (webhook deliveries included). A handler that throws
/// fails the test, since nothing here retries.
/// </summary>
internal static class QueuePump
{
    /// <returns>Every handler's log lines, prefixed with its queue.</returns>
    public static async Task<List<string>> PumpAsync(this FunctionsApp app, int maxMessages = 500)
    {
        var logs = new List<string>();
        var handled = 0;
        var handlers = app.Services.GetServices<IMessageHandler>().ToList();
        while (true)
        {
            var any = false;
            foreach (var handler in handlers)
            {
                var queue = app.Storage.Queue(handler.Queue);
                await queue.CreateIfNotExistsAsync();
                foreach (var message in (await queue.ReceiveMessagesAsync(16)).Value)
                {
                    any = true;
                    Assert.True(++handled <= maxMessages, $"more than {maxMessages} messages: the pipeline does not settle");
                    var result = await handler.HandleAsync(message.Body.ToString(), new MessageContext(message.MessageId, message.DequeueCount, message.InsertedOn));
                    logs.AddRange(result.Logs.Select(l => $"{handler.Queue}: {l}"));
                    await app.Storage.SendAsync(result.Messages);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }

            if (!any)
            {
                return logs;
            }
        }
    }
}
