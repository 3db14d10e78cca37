using Pipeline.Iac.Parsing;
using Pipeline.Iac.Parsing.Dockerfile;

namespace Pipeline.Iac.Tests.Parsing.Dockerfile;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Parse_ContinuationsHeredocsDirectivesAndStages_KeepLines()
    {
        var model = DockerfileParser.Parse("""
            # syntax=docker/dockerfile:1
            # escape=`
            FROM --platform=linux/amd64 golang:1.22 AS build
            RUN go build `
                # a comment inside the continuation
                -o /app .
            RUN <<EOF bash
            set -e
            echo hi
            EOF
            FROM build AS test
            FROM scratch
            COPY --from=build /app /app
            """);
        Assert.Equal(["FROM", "RUN", "RUN", "FROM", "FROM", "COPY"], model.Instructions.Select(i => i.Command));
        var run = model.Instructions[1];
        Assert.Equal((4, 6), (run.StartLine, run.EndLine));
        Assert.Contains("-o /app", run.Args, StringComparison.Ordinal);
        var heredoc = model.Instructions[2];
        Assert.Equal((7, 10), (heredoc.StartLine, heredoc.EndLine));
        Assert.Contains("echo hi", heredoc.Script, StringComparison.Ordinal);
        Assert.Equal(["golang:1.22", "build", "scratch"], model.Stages.Select(s => s.Image));
        Assert.Equal("build", model.Stages[0].Alias);
    }

    [Fact]
    public void Parse_GarbageLine_IsALocatedError()
    {
        var e = Assert.Throws<IacParseException>(() => DockerfileParser.Parse("FROM alpine:3.20\n{{ not an instruction\n"));
        Assert.Equal(2, e.Line);
    }
}
