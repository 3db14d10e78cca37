using System.Text.Json;
using Pipeline.Core;

namespace Pipeline.Functions.Messages;

/// <summary>A message a handler asks the trigger adapter to enqueue (handlers return messages; adapters write them).</summary>
/// <param name="Queue">Target queue name (<see cref="QueueNames"/>).</param>
/// <param name="Body">The JSON text of the message (before the queue's base64 encoding).</param>
public sealed record OutgoingMessage(string Queue, string Body)
{
    public static OutgoingMessage Create<T>(string queue, T message) =>
        new(queue, JsonSerializer.Serialize(message, PipelineJson.Compact));
}

/// <summary>Reads and writes queue message bodies with Core's JSON options.</summary>
public static class MessageJson
{
    /// <summary>Parses a message body; throws <see cref="JsonException"/> for a body that is not the expected shape.</summary>
    public static T Read<T>(string body)
    {
        var value = JsonSerializer.Deserialize<T>(body, PipelineJson.Compact);
        return value ?? throw new JsonException($"Message body is null, expected {typeof(T).Name}.");
    }
}
