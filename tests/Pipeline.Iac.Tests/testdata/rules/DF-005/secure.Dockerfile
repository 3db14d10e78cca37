FROM alpine:3.20
ARG VERSION=1.0
ENV APP_MODE=prod
RUN --mount=type=secret,id=npm_token cat /run/secrets/npm_token > /dev/null
USER 10001
HEALTHCHECK CMD ["true"]
