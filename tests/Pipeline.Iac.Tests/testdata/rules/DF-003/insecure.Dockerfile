FROM golang AS build
RUN go version
FROM gcr.io/distroless/static:latest
COPY --from=build /go /go
USER 10001
HEALTHCHECK CMD ["/go/bin/app", "health"]
