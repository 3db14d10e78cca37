using Pipeline.Core.Images;

namespace Pipeline.Core.Tests.Images;

public sealed class PlatformTests
{
    [Fact]
    public void Parse_ReadsOsArchAndVariant()
    {
        Assert.Equal(new Platform("linux", "arm64", "v8"), Platform.Parse("linux/arm64/v8"));
        Assert.Equal("linux/amd64", Platform.Parse("linux/amd64").ToString());
    }

    [Theory]
    [InlineData("linux")]
    [InlineData("linux/arm/v7/extra")]
    public void Parse_RefusesOtherShapes(string text) => Assert.Throws<FormatException>(() => Platform.Parse(text));

    [Fact]
    public void Matches_AFilterWithoutVariantMatchesAnyVariant()
    {
        Assert.True(new Platform("linux", "arm").Matches(new Platform("linux", "arm", "v7")));
        Assert.False(new Platform("linux", "arm", "v6").Matches(new Platform("linux", "arm", "v7")));
        Assert.False(new Platform("linux", "amd64").Matches(new Platform("linux", "arm64")));
    }

    [Theory]
    [InlineData(MediaTypes.OciLayerGzip, LayerCompression.Gzip)]
    [InlineData(MediaTypes.OciLayerZstd, LayerCompression.Zstd)]
    [InlineData(MediaTypes.OciLayer, LayerCompression.None)]
    [InlineData(MediaTypes.DockerLayerGzip, LayerCompression.Gzip)]
    [InlineData("application/vnd.example.unknown", LayerCompression.Unknown)]
    public void CompressionOf_KnowsEveryLayerMediaType(string mediaType, LayerCompression expected) =>
        Assert.Equal(expected, MediaTypes.CompressionOf(mediaType));

    [Fact]
    public void IsForeign_NondistributableAndDockerForeignLayers() =>
        Assert.True(MediaTypes.IsForeign(MediaTypes.OciLayerNondistributableGzip) && MediaTypes.IsForeign(MediaTypes.DockerForeignLayerGzip) && !MediaTypes.IsForeign(MediaTypes.OciLayerGzip));
}
