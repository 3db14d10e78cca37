// Each suite measures one area and prints its figures next to a reference measured in the same run.
// Usage: dotnet run -c Release --project tests/Pipeline.Benchmarks -- <suite> [args]
var suite = args.Length > 0 ? args[0] : string.Empty;
var rest = args.Skip(1).ToArray();
return suite switch
{
    // One line per suite: "name" => await Suite.RunAsync(rest),
    "secrets" => await Pipeline.Benchmarks.Secrets.SecretsBenchmark.RunAsync(rest),
    "vulndb" => await Pipeline.Benchmarks.Vulnerabilities.VulnDbSuite.RunAsync(rest),
    "iac" => await Pipeline.Benchmarks.Iac.IacBenchmark.RunAsync(rest),
    "image" => await Pipeline.Benchmarks.Images.ImageScanBenchmark.RunAsync(rest),
    "pipeline" => await Pipeline.Benchmarks.Pipeline.PipelineBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Pipeline.Benchmarks <suite> [args]");
    return 2;
}
