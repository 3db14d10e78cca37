using Pipeline.Core.Findings;
using Pipeline.Core.Model;

namespace Pipeline.Core.Analysis;

/// <summary>What the image holds once its layers are applied in order, every fact stamped with its layer.</summary>
public sealed class MergedImage
{
    public OsInfo? Os { get; init; }

    public List<Package> Packages { get; init; } = [];

    /// <summary>Secrets from every layer, including files a later layer deleted or replaced (<see cref="SecretFinding.RemovedInLayer"/>).</summary>
    public List<SecretFinding> Secrets { get; init; } = [];

    /// <summary>Setuid, setgid and world-writable files present in the final image.</summary>
    public List<FileFact> SpecialFiles { get; init; } = [];

    public List<AnalysisError> Errors { get; init; } = [];
}
