using Pipeline.Functions.Messages;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// Handles one queue message and returns the messages to send next (Wolverine style: the trigger adapter,
/// standalone listener or custom-handler endpoint, writes them). Throwing fails the attempt: the message
/// reappears after the visibility timeout and ends in the poison queue after maxDequeueCount attempts, so a
/// handler must be idempotent.
/// </summary>
public interface IMessageHandler
{
    /// <summary>The queue the handler consumes (<see cref="QueueNames"/>).</summary>
    string Queue { get; }

    Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default);
}

/// <summary>The queue message's trigger metadata.</summary>
public sealed record MessageContext(string Id, long DequeueCount, DateTimeOffset? InsertionTime)
{
    public static MessageContext None { get; } = new("local", 1, null);
}

/// <summary>What a handler produced: messages to enqueue and log lines for the custom-handler response.</summary>
public sealed record HandlerResult(IReadOnlyList<OutgoingMessage> Messages, IReadOnlyList<string> Logs)
{
    public static HandlerResult Empty { get; } = new([], []);

    public static HandlerResult Of(string log, params OutgoingMessage[] messages) => new(messages, [log]);
}
