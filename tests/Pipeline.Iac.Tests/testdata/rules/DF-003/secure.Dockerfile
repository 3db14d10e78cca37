FROM golang:1.22 AS build
RUN go version
FROM build
FROM gcr.io/distroless/static@sha256:7e5c6a2a4ae854242874d36171b31d26e0539c98fc6080f942f16b03e82851ab
USER 10001
HEALTHCHECK CMD ["/app", "health"]
