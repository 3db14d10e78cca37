# escape=`
FROM debian:12.5-slim
RUN apt-get update && `
    sudo apt-get install -y curl && rm -rf /var/lib/apt/lists/*
USER 10001
HEALTHCHECK CMD ["true"]
