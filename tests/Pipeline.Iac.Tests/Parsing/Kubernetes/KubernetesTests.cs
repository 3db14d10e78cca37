namespace Pipeline.Iac.Tests.Parsing.Kubernetes;

public sealed class KubernetesTests
{
    [Fact]
    public void Scan_MultiDocumentManifest_FindsEveryWorkloadAndAppliesPodLevelContext()
    {
        var result = IacTestData.ScanFiles(new Dictionary<string, string>
        {
            ["all.yaml"] = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: rs
                  namespace: shop
                spec:
                  template:
                    spec:
                      securityContext:
                        runAsNonRoot: true
                      initContainers:
                        - name: init
                          image: busybox:1.36
                          securityContext:
                            privileged: true
                      containers:
                        - name: app
                          image: app:1.0
                ---
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: job
                spec:
                  template:
                    spec:
                      hostPID: true
                      containers:
                        - name: run
                          image: run:2.0
                """,
        });
        Assert.Empty(result.Errors);
        Assert.True(result.Misconfigurations.Count > 0, IacTestData.Describe(result.Misconfigurations));
        var privileged = Assert.Single(result.Misconfigurations, m => m.RuleId == "K8S-001");
        Assert.True(privileged.Resource == "ReplicaSet/shop/rs/init" && privileged.StartLine == 20, IacTestData.Describe(result.Misconfigurations));
        Assert.DoesNotContain(result.Misconfigurations, m => m.RuleId == "K8S-002" && m.Resource.StartsWith("ReplicaSet", StringComparison.Ordinal));
        Assert.Contains(result.Misconfigurations, m => m.RuleId == "K8S-002" && m.Resource == "Job/job/run" && m.Defaulted);
        var hostPid = Assert.Single(result.Misconfigurations, m => m.RuleId == "K8S-008");
        Assert.True(hostPid.Resource == "Job/job" && hostPid.StartLine == 32, IacTestData.Describe(result.Misconfigurations));
    }
}
