FROM alpine:3.20
RUN apk add --no-cache curl
HEALTHCHECK CMD ["true"]
CMD ["sh"]
