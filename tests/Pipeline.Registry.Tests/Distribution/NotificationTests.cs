using System.Text.Json;
using Pipeline.Registry.Tests.Fakes;
using Pipeline.TestKit.Registry;

namespace Pipeline.Registry.Tests.Distribution;

/// <summary>The fixture's notifications option, which the pipeline's ingress tests rely on.</summary>
public sealed class NotificationTests
{
    [Fact]
    public async Task Push_WithNotificationUrl_RegistryPostsManifestPushEvent()
    {
        using var receiver = new FakeHttpServer(_ => new FakeResponse(200));
        using var registry = new RegistryFixture(RegistryAuthMode.Anonymous, $"http://{receiver.Host}/hooks/distribution",
            new Dictionary<string, string> { ["X-Test-Secret"] = "s1" }).Start();

        await registry.PushAsync(TestImages.Small.LayoutDir, TestImages.Small.Tag, "notify/app");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        RecordedRequest? manifestPush = null;
        while (manifestPush is null && DateTime.UtcNow < deadline)
        {
            manifestPush = receiver.Requests.FirstOrDefault(r => ManifestPushes(r).Any());
            await Task.Delay(100);
        }

        Assert.NotNull(manifestPush);
        Assert.Equal("/hooks/distribution", manifestPush.PathAndQuery);
        Assert.Equal("s1", manifestPush.Header("X-Test-Secret"));
        var (repository, digest) = ManifestPushes(manifestPush).First();
        Assert.Equal("notify/app", repository);
        Assert.Equal(TestImages.Small.ManifestDigest, digest);
    }

    private static List<(string? Repository, string? Digest)> ManifestPushes(RecordedRequest request)
    {
        using var envelope = JsonDocument.Parse(request.Body);
        return envelope.RootElement.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "push")
            .Select(e => e.GetProperty("target"))
            .Where(t => t.GetProperty("mediaType").GetString() == "application/vnd.oci.image.manifest.v1+json")
            .Select(t => (t.GetProperty("repository").GetString(), t.GetProperty("digest").GetString()))
            .ToList();
    }
}
