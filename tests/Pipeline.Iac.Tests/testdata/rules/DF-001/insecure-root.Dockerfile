FROM alpine:3.20 AS build
USER 1000
RUN echo build
FROM alpine:3.20
USER root
HEALTHCHECK CMD ["true"]
