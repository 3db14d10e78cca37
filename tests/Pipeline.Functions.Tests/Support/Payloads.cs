namespace Pipeline.Functions.Tests.Support;

/// <summary>Request bodies in the shapes each source really sends (integration.md §3).</summary>
internal static class Payloads
{
    public const string Digest = "sha256:213bbc182920ab41e18edc2001e06abcca6735d87782d9cef68abd83941cf0e5";
    public const string Digest2 = "sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234ef01";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    public static string EventGrid(string digest = Digest, string host = "demo.azurecr.io", string tag = "v1") => $$"""
        [{
          "id": "831e1650-001e-001b-66ab-eeb76e069631",
          "topic": "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/demo",
          "subject": "aci-helloworld:{{tag}}",
          "eventType": "Microsoft.ContainerRegistry.ImagePushed",
          "eventTime": "2018-04-25T21:39:47.6549614Z",
          "data": {
            "id": "31c51664-e5bd-416a-a5df-e5206bc47ed0",
            "timestamp": "2018-04-25T21:39:47.276585742Z",
            "action": "push",
            "target": { "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 3023, "length": 3023,
                        "digest": "{{digest}}", "repository": "aci-helloworld", "tag": "{{tag}}" },
            "request": { "id": "7c66f28b", "host": "{{host}}", "method": "PUT", "useragent": "docker/18.03.0-ce" }
          },
          "dataVersion": "1.0", "metadataVersion": "1"
        }]
        """;

    public const string EventGridValidation = """
        [{
          "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
          "topic": "/subscriptions/sub",
          "subject": "",
          "data": { "validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", "validationUrl": "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/sub/validate?id=1" },
          "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
          "eventTime": "2018-01-25T22:12:19.4556811Z",
          "metadataVersion": "1", "dataVersion": "1"
        }]
        """;

    public static string CloudEvent(string digest = Digest) => $$"""
        {
          "id": "831e1650-001e-001b-66ab-eeb76e069631",
          "source": "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/demo",
          "subject": "aci-helloworld:v1",
          "type": "Microsoft.ContainerRegistry.ImagePushed",
          "time": "2018-04-25T21:39:47.6549614Z",
          "specversion": "1.0",
          "data": {
            "id": "31c51664-e5bd-416a-a5df-e5206bc47ed0",
            "timestamp": "2018-04-25T21:39:47.276585742Z",
            "action": "push",
            "target": { "mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 3023, "digest": "{{digest}}", "repository": "aci-helloworld", "tag": "v1" },
            "request": { "id": "7c66f28b", "host": "demo.azurecr.io", "method": "PUT" }
          }
        }
        """;

    public static string Ecr(string action = "PUSH", string digest = Digest) => $$"""
        { "version": "0", "id": "13cde686-328b-6117-af20-0e5566167482", "detail-type": "ECR Image Action", "source": "aws.ecr",
          "account": "123456789012", "time": "2019-11-16T01:54:34Z", "region": "us-west-2", "resources": [],
          "detail": { "result": "SUCCESS", "repository-name": "my-repository-name", "image-digest": "{{digest}}",
                      "action-type": "{{action}}", "image-tag": "latest" } }
        """;

    /// <summary>What docker-registry sends for one push: a layer blob, then the manifest by tag and by digest.</summary>
    public static string Distribution(string digest = Digest, string host = FunctionsApp.Registry, string tag = "1.0", string repository = "library/app") => $$"""
        { "events": [
          { "id": "a1", "timestamp": "2026-11-23T09:00:00Z", "action": "push",
            "target": { "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111", "size": 100, "repository": "{{repository}}" },
            "request": { "id": "r1", "addr": "127.0.0.1:40000", "host": "{{host}}", "method": "PUT" } },
          { "id": "a2", "timestamp": "2026-11-23T09:00:01Z", "action": "push",
            "target": { "mediaType": "{{OciManifest}}", "digest": "{{digest}}", "size": 500, "repository": "{{repository}}", "tag": "{{tag}}" },
            "request": { "id": "r2", "addr": "127.0.0.1:40000", "host": "{{host}}", "method": "PUT" } },
          { "id": "a3", "timestamp": "2026-11-23T09:00:01Z", "action": "push",
            "target": { "mediaType": "{{OciManifest}}", "digest": "{{digest}}", "size": 500, "repository": "{{repository}}" },
            "request": { "id": "r2", "addr": "127.0.0.1:40000", "host": "{{host}}", "method": "PUT" } }
        ] }
        """;

    public static string Harbor(string digest = Digest) => $$"""
        { "type": "PUSH_ARTIFACT", "occur_at": 1582640688, "operator": "admin",
          "event_data": {
            "resources": [ { "digest": "{{digest}}", "tag": "2.1.6", "resource_url": "harbor.example.com/library/app:2.1.6" } ],
            "repository": { "date_created": 1582634337, "name": "app", "namespace": "library", "repo_full_name": "library/app", "repo_type": "private" } } }
        """;
}
