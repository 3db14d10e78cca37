FROM debian:12.5-slim
RUN apt-get update && \
    apt-get install -y curl
RUN <<EOF
apk add git
EOF
USER 10001
HEALTHCHECK CMD ["true"]
