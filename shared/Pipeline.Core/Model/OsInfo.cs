using System.Text.Json.Serialization;

namespace Pipeline.Core.Model;

/// <summary>
/// The operating system of an image. <see cref="Family"/> is the os-release <c>ID</c> (debian, ubuntu,
/// alpine, rhel, centos, rocky, almalinux, fedora, amzn, ol, opensuse-leap, sles, …); <see cref="Version"/>
/// is the most precise version the files state (debian_version's <c>12.5</c> rather than os-release's <c>12</c>).
/// </summary>
public sealed record OsInfo
{
    public required string Family { get; init; }

    public required string Version { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>Codename (bookworm, jammy) when stated; Ubuntu and Debian advisories sometimes need it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Codename { get; init; }
}
