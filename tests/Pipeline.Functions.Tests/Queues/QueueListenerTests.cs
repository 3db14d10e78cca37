using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Handlers;
using Pipeline.Functions.Messages;
using Pipeline.Functions.Queues;
using Pipeline.Functions.Storage;
using Pipeline.TestKit;
using Pipeline.TestKit.Azurite;

namespace Pipeline.Functions.Tests.Queues;

public sealed class QueueListenerTests : IClassFixture<AzuriteFixture>
{
    private readonly PipelineStorage _storage;

    public QueueListenerTests(AzuriteFixture azurite)
    {
        _storage = new PipelineStorage(azurite.ConnectionString);
    }

    [Fact]
    public async Task Run_HandlerSucceeds_DeletesMessageAndSendsOutputs()
    {
        var queue = NewQueue();
        var output = NewQueue();
        var handler = new TestHandler(queue, (body, _) => Task.FromResult(HandlerResult.Of("ok", new OutgoingMessage(output, body.ToUpperInvariant()))));
        await _storage.Queue(queue).CreateIfNotExistsAsync();
        await _storage.Queue(output).CreateIfNotExistsAsync();
        await _storage.Queue(queue).SendMessageAsync("{\"hello\":1}");

        await RunUntilAsync(handler, Options(), async () => (await _storage.Queue(output).PeekMessagesAsync()).Value.Length == 1);

        var forwarded = (await _storage.Queue(output).ReceiveMessageAsync()).Value;
        Assert.Equal("{\"HELLO\":1}", forwarded.Body.ToString());
        Assert.Equal(0, (await _storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Run_HandlerAlwaysFails_RetriesAfterVisibilityTimeoutThenPoison()
    {
        var queue = NewQueue();
        var attempts = new ConcurrentQueue<(long DequeueCount, long At)>();
        var clock = Stopwatch.StartNew();
        var handler = new TestHandler(queue, (_, context) =>
        {
            attempts.Enqueue((context.DequeueCount, clock.ElapsedMilliseconds));
            throw new InvalidOperationException("boom");
        });
        await _storage.Queue(queue).CreateIfNotExistsAsync();
        await _storage.Queue(queue).SendMessageAsync("{\"scan\":\"poison-me\"}");
        var options = Options();
        options.VisibilityTimeout = TimeSpan.FromSeconds(2);
        options.MaxDequeueCount = 3;

        var poison = _storage.Queue(QueueNames.Poison(queue));
        await RunUntilAsync(handler, options, async () => await poison.ExistsAsync() && (await poison.PeekMessagesAsync()).Value.Length == 1, TimeSpan.FromSeconds(30));

        var seen = attempts.ToArray();
        Assert.Equal([1L, 2L, 3L], seen.Select(a => a.DequeueCount));
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= 1800, $"retry came after {pair.Second.At - pair.First.At} ms"));
        Assert.Equal("{\"scan\":\"poison-me\"}", (await poison.ReceiveMessageAsync()).Value.Body.ToString());
        Assert.Equal(0, (await _storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Run_MessageNotBase64_StraightToPoisonWithoutInvokingHandler()
    {
        var queue = NewQueue();
        var invoked = 0;
        var handler = new TestHandler(queue, (_, _) =>
        {
            Interlocked.Increment(ref invoked);
            return Task.FromResult(HandlerResult.Empty);
        });
        var raw = _storage.RawQueues.GetQueueClient(queue);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("this is {not} base64!");

        var poison = _storage.RawQueues.GetQueueClient(QueueNames.Poison(queue));
        await RunUntilAsync(handler, Options(), async () => await poison.ExistsAsync() && (await poison.PeekMessagesAsync()).Value.Length == 1);

        Assert.Equal(0, invoked);
        Assert.Equal("this is {not} base64!", (await poison.ReceiveMessageAsync()).Value.Body.ToString());
    }

    [Fact]
    public async Task Run_SlowHandler_LeaseRenewedSoNoOtherConsumerSeesTheMessage()
    {
        var queue = NewQueue();
        var invocations = 0;
        var competitorSaw = 0;
        var raw = _storage.RawQueues.GetQueueClient(queue);
        var handler = new TestHandler(queue, async (_, context) =>
        {
            Interlocked.Increment(ref invocations);

            // Work for 2.5 leases while another consumer keeps polling the queue.
            var until = Stopwatch.StartNew();
            while (until.Elapsed < TimeSpan.FromSeconds(5))
            {
                competitorSaw += (await raw.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1))).Value.Length;
                await Task.Delay(250);
            }

            return HandlerResult.Empty;
        });
        await raw.CreateIfNotExistsAsync();
        await _storage.Queue(queue).SendMessageAsync("slow");
        var options = Options();
        options.Lease = TimeSpan.FromSeconds(2);

        await RunUntilAsync(handler, options, async () => invocations == 1 && (await raw.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, TimeSpan.FromSeconds(20));

        Assert.Equal(1, invocations);
        Assert.Equal(0, competitorSaw);
    }

    [Fact]
    public async Task Run_BatchSize_BoundsParallelism()
    {
        var queue = NewQueue();
        var current = 0;
        var max = 0;
        var done = 0;
        var handler = new TestHandler(queue, async (_, _) =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref max, now);
            await Task.Delay(400);
            Interlocked.Decrement(ref current);
            Interlocked.Increment(ref done);
            return HandlerResult.Empty;
        });
        await _storage.Queue(queue).CreateIfNotExistsAsync();
        for (var i = 0; i < 8; i++)
        {
            await _storage.Queue(queue).SendMessageAsync($"m{i}");
        }

        var options = Options();
        options.BatchSize = 4;
        options.NewBatchThreshold = 0;
        await RunUntilAsync(handler, options, () => Task.FromResult(Volatile.Read(ref done) == 8));

        Assert.Equal(4, max);
    }

    [Fact]
    public async Task Run_IdleInBackOff_WokenAtOnceWhenThisProcessSends()
    {
        var queue = NewQueue();
        var handled = new TaskCompletionSource<long>();
        var clock = Stopwatch.StartNew();
        var handler = new TestHandler(queue, (_, _) =>
        {
            handled.TrySetResult(clock.ElapsedMilliseconds);
            return Task.FromResult(HandlerResult.Empty);
        });
        await _storage.Queue(queue).CreateIfNotExistsAsync();
        var options = Options();
        options.MaxPollingInterval = TimeSpan.FromSeconds(30);
        var sent = 0L;

        await RunUntilAsync(
            handler,
            options,
            async () =>
            {
                // Idle long enough for the back-off to reach several seconds, then send as a handler's output would.
                if (sent == 0 && clock.Elapsed > TimeSpan.FromSeconds(7))
                {
                    sent = clock.ElapsedMilliseconds;
                    await _storage.SendAsync([new OutgoingMessage(queue, "wake")]);
                }

                return handled.Task.IsCompleted;
            },
            TimeSpan.FromSeconds(30));

        Assert.InRange(await handled.Task - sent, 0, 1500);
    }

    [Fact]
    public void FromHostJson_RepositoryHostJson_ReadsExtensionsQueues()
    {
        var options = QueueListenerOptions.FromHostJson(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "functions", "host.json")));

        Assert.Equal(16, options.BatchSize);
        Assert.Equal(8, options.NewBatchThreshold);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxPollingInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.VisibilityTimeout);
        Assert.Equal(5, options.MaxDequeueCount);
        Assert.True(options.Base64);
    }

    [Fact]
    public void LoadQueueOptions_QueueLeaseSetting_BecomesTheListenersLeaseNextToHostJson()
    {
        var options = PipelineServices.LoadQueueOptions(new PipelineOptions
        {
            HostJsonPath = Path.Combine(TestPaths.RepoRoot, "functions", "host.json"),
            QueueLease = TimeSpan.FromSeconds(3),
        });

        Assert.Equal(TimeSpan.FromSeconds(3), options.Lease);
        Assert.Equal(16, options.BatchSize);
        Assert.Equal(TimeSpan.FromMinutes(10), PipelineServices.LoadQueueOptions(new PipelineOptions()).Lease);
    }

    [Fact]
    public void FromHostJson_OutOfRange_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => QueueListenerOptions.FromHostJson("""{"extensions":{"queues":{"batchSize":64}}}"""));
        Assert.Throws<InvalidOperationException>(() => QueueListenerOptions.FromHostJson("""{"extensions":{"queues":{"maxPollingInterval":"00:00:00.010"}}}"""));
    }

    [Fact]
    public void NextDelay_GrowsFrom100msAndIsCapped()
    {
        var max = TimeSpan.FromSeconds(1);
        var delay = QueueListenerOptions.MinPollingInterval;
        var seen = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            delay = QueueListener.NextDelay(delay, max);
            seen.Add(delay);
        }

        Assert.True(seen[0] >= TimeSpan.FromMilliseconds(160) && seen[0] <= TimeSpan.FromMilliseconds(240), seen[0].ToString());
        Assert.All(seen, d => Assert.True(d <= max));
        Assert.Equal(max, seen[^1]);
    }

    private static QueueListenerOptions Options() => new()
    {
        BatchSize = 16,
        MaxPollingInterval = TimeSpan.FromMilliseconds(200),
        VisibilityTimeout = TimeSpan.Zero,
        MaxDequeueCount = 5,
    };

    private static string NewQueue() => "t" + Guid.NewGuid().ToString("N")[..20];

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private async Task RunUntilAsync(IMessageHandler handler, QueueListenerOptions options, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        using var stop = new CancellationTokenSource();
        var listener = new QueueListener(_storage, handler, options, TimeProvider.System, NullLogger<QueueListener>.Instance);
        var run = listener.RunAsync(stop.Token);
        var deadline = Stopwatch.StartNew();
        try
        {
            while (!await condition())
            {
                Assert.True(deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(15)), "condition not reached in time");
                Assert.False(run.IsFaulted, run.Exception?.ToString());
                await Task.Delay(100);
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private sealed class TestHandler(string queue, Func<string, MessageContext, Task<HandlerResult>> handle) : IMessageHandler
    {
        public string Queue => queue;

        public Task<HandlerResult> HandleAsync(string body, MessageContext context, CancellationToken cancellationToken = default) => handle(body, context);
    }
}
