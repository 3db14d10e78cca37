using Pipeline.Core.Analysis;
using Pipeline.Core.Findings;

namespace Pipeline.Iac;

/// <summary>What one IaC scan found.</summary>
public sealed class IacScanResult
{
    /// <summary>Findings, including one <c>PARSE</c> finding per file that could not be read, ordered by file and line.</summary>
    public List<Misconfiguration> Misconfigurations { get; } = [];

    /// <summary>Findings silenced by an inline comment or the policy; <see cref="Misconfiguration.SuppressedBy"/> says which.</summary>
    public List<Misconfiguration> Suppressed { get; } = [];

    /// <summary>Files that could not be parsed or read, with the reason (their line is in the PARSE finding).</summary>
    public List<AnalysisError> Errors { get; } = [];

    /// <summary>How many IaC files were recognized and read.</summary>
    public int FilesScanned { get; set; }
}
