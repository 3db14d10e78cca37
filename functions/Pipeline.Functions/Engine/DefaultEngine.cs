using Pipeline.Core.Detection;
using Pipeline.Core.Images;
using Pipeline.Core.Reports;
using Pipeline.Functions.Messages;

namespace Pipeline.Functions.Engine;

/// <summary>
/// Stands in until a registry client is registered: fails the message with a message that says what to wire,
/// so the queue's retry and poison handling keep it rather than losing it.
/// </summary>
internal sealed class UnconfiguredImageSourceProvider : IImageSourceProvider
{
    public IImageSource Open(ImageCoordinates image) =>
        throw new InvalidOperationException(
            $"No registry client is registered to pull {image.Registry}/{image.Repository}@{image.Digest}: register an IImageSourceProvider (Program.cs, PipelineServices.AddPipelineFunctions).");
}

/// <summary>No detectors: reports list packages without vulnerability findings until a matcher is registered.</summary>
internal sealed class NoDetectors : IDetectorSource
{
    public Task<IReadOnlyList<IDetector>> CreateAsync(string? databasePath, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IDetector>>([]);
}

/// <summary>No policy: the report is left as the detectors made it and carries no verdict.</summary>
internal sealed class NoPolicy : IPolicyEvaluator
{
    public void Apply(ScanReport report, string? policyYaml, DateOnly today)
    {
    }
}
