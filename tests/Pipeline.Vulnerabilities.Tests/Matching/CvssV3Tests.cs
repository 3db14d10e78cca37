using Pipeline.Core.Model;
using Pipeline.Vulnerabilities.Matching;

namespace Pipeline.Vulnerabilities.Tests.Matching;

/// <summary>Base scores as NVD publishes them for real CVEs, and the FIRST v3.1 examples.</summary>
public sealed class CvssV3Tests
{
    [Theory]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0)] // CVE-2021-44228
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8)] // CVE-2023-45853
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2)] // CVE-2021-23337
    [InlineData("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", 6.1)] // CVE-2023-32681
    [InlineData("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N", 3.7)] // CVE-2011-3374
    [InlineData("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8)] // CVE-2023-4911
    [InlineData("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 5.5)] // CVE-2024-0727
    [InlineData("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1)]
    [InlineData("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0)]
    public void BaseScore_Vector_MatchesPublishedScore(string vector, double score)
    {
        Assert.Equal(score, CvssV3.BaseScore(vector));
    }

    [Theory]
    [InlineData("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P")]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H")]
    [InlineData("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")]
    [InlineData("garbage")]
    public void BaseScore_Incomplete_Null(string vector)
    {
        Assert.Null(CvssV3.BaseScore(vector));
    }

    [Theory]
    [InlineData(9.0, Severity.Critical)]
    [InlineData(8.9, Severity.High)]
    [InlineData(7.0, Severity.High)]
    [InlineData(6.9, Severity.Medium)]
    [InlineData(4.0, Severity.Medium)]
    [InlineData(3.9, Severity.Low)]
    [InlineData(0.1, Severity.Low)]
    [InlineData(0.0, Severity.Unknown)]
    public void Rating_Score_QualitativeScale(double score, Severity severity)
    {
        Assert.Equal(severity, CvssV3.Rating(score));
    }

    [Theory]
    [InlineData("unimportant", Severity.Low)]
    [InlineData("low**", Severity.Low)]
    [InlineData("medium", Severity.Medium)]
    [InlineData("MODERATE", Severity.Medium)]
    [InlineData("Important", Severity.High)]
    [InlineData("negligible", Severity.Low)]
    [InlineData("not yet assigned", null)]
    [InlineData("", null)]
    public void EcosystemRating_KnownWords_Mapped(string rating, Severity? severity)
    {
        Assert.Equal(severity, SeverityResolver.EcosystemRating(rating));
    }
}
