using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Iac;

namespace Pipeline.Benchmarks.Iac;

/// <summary>
/// Scans a generated corpus of Terraform files (seeded, a realistic mix of AWS, Azure and GCP resources with
/// variables, locals, count and references) on one thread, and prints files per second next to the time
/// it takes just to read the same files' bytes. Usage: iac [files=5000] [seed=42].
/// </summary>
internal static class IacBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 42;
        var dir = Path.Combine(Path.GetTempPath(), $"pipeline-iac-bench-{seed}-{files}");
        if (!Directory.Exists(dir) || Directory.GetFiles(dir, "*.tf", SearchOption.AllDirectories).Length != files)
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Generate(dir, files, seed);
        }

        var paths = Directory.GetFiles(dir, "*.tf", SearchOption.AllDirectories);

        // Warm up both paths once (JIT, file cache), then measure.
        long bytes = 0;
        foreach (var p in paths)
        {
            bytes += File.ReadAllBytes(p).Length;
        }

        // Three warm-up scans let tiered JIT promote the hot parser and evaluator methods: the figure is steady state.
        var scanner = new IacScanner(new IacScanOptions());
        var cold = Stopwatch.StartNew();
        await scanner.ScanAsync(dir).ConfigureAwait(false);
        cold.Stop();
        for (var i = 0; i < 2; i++)
        {
            await scanner.ScanAsync(dir).ConfigureAwait(false);
        }

        var read = Stopwatch.StartNew();
        foreach (var p in paths)
        {
            bytes += File.ReadAllBytes(p).Length;
        }

        read.Stop();
        var scan = Stopwatch.StartNew();
        var result = await scanner.ScanAsync(dir).ConfigureAwait(false);
        scan.Stop();

        var scanRate = files / scan.Elapsed.TotalSeconds;
        var readRate = files / read.Elapsed.TotalSeconds;
        Console.WriteLine($"iac: {files} Terraform files ({bytes / 2 / 1024} KiB), {result.Misconfigurations.Count} findings, {result.Errors.Count} errors");
        Console.WriteLine($"iac: scan  {scan.Elapsed.TotalMilliseconds,8:F0} ms  {scanRate,10:F0} files/s (one thread)");
        Console.WriteLine($"iac: first scan (cold JIT) {cold.Elapsed.TotalMilliseconds:F0} ms");
        Console.WriteLine($"iac: read  {read.Elapsed.TotalMilliseconds,8:F0} ms  {readRate,10:F0} files/s (reference: reading the same bytes)");
        Console.WriteLine($"iac: scan/read time ratio {scan.Elapsed.TotalSeconds / read.Elapsed.TotalSeconds:F1}x; goal >= 2000 files/s: {(scanRate >= 2000 ? "met" : "NOT met")}");
        return 0;
    }

    /// <summary>Writes modules of 50 files each; every file holds a few resources of one cloud.</summary>
    private static void Generate(string dir, int files, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < files; i++)
        {
            var module = Path.Combine(dir, $"stack{i / 50:D3}");
            Directory.CreateDirectory(module);
            var sb = new StringBuilder();
            if (i % 50 == 0)
            {
                sb.AppendLine("variable \"env\" {\n  default = \"prod\"\n}\n");
                sb.AppendLine("locals {\n  prefix = \"app-${var.env}\"\n  tags   = { env = var.env, owner = \"team\" }\n}\n");
            }

            for (var r = 0; r < 3; r++)
            {
                var n = $"r{i}_{r}";
                switch (random.Next(6))
                {
                    case 0:
                        sb.AppendLine(CultureInfo.InvariantCulture, $$"""
                            resource "aws_s3_bucket" "{{n}}" {
                              bucket = "${local.prefix}-{{n}}"
                              tags   = local.tags
                            }

                            resource "aws_s3_bucket_versioning" "{{n}}" {
                              bucket = aws_s3_bucket.{{n}}.id
                              versioning_configuration {
                                status = "{{(random.Next(2) == 0 ? "Enabled" : "Suspended")}}"
                              }
                            }
                            """);
                        break;
                    case 1:
                        sb.AppendLine(CultureInfo.InvariantCulture, $$"""
                            resource "aws_security_group" "{{n}}" {
                              name = "{{n}}"
                              dynamic "ingress" {
                                for_each = [22, 443]
                                content {
                                  description = "port ${ingress.value}"
                                  from_port   = ingress.value
                                  to_port     = ingress.value
                                  protocol    = "tcp"
                                  cidr_blocks = ["{{(random.Next(3) == 0 ? "0.0.0.0/0" : "10.0.0.0/8")}}"]
                                }
                              }
                            }
                            """);
                        break;
                    case 2:
                        sb.AppendLine(CultureInfo.InvariantCulture, $$"""
                            resource "aws_instance" "{{n}}" {
                              count         = 2
                              ami           = "ami-{{random.Next(100000):D6}}"
                              instance_type = "t3.micro"
                              tags          = merge(local.tags, { Name = format("%s-%02d", "{{n}}", count.index) })
                              metadata_options {
                                http_tokens = "{{(random.Next(2) == 0 ? "required" : "optional")}}"
                              }
                            }
                            """);
                        break;
                    case 3:
                        sb.AppendLine(CultureInfo.InvariantCulture, $$"""
                            resource "azurerm_storage_account" "{{n}}" {
                              name                     = lower(replace("{{n}}", "_", ""))
                              resource_group_name      = "rg"
                              location                 = "westeurope"
                              account_tier             = "Standard"
                              account_replication_type = "LRS"
                              min_tls_version          = "{{(random.Next(2) == 0 ? "TLS1_2" : "TLS1_0")}}"
                            }
                            """);
                        break;
                    case 4:
                        sb.AppendLine(CultureInfo.InvariantCulture, $$"""
                            resource "google_compute_instance" "{{n}}" {
                              name         = "{{n}}"
                              machine_type = "e2-small"
                              zone         = "europe-west1-b"
                              boot_disk {
                                initialize_params {
                                  image = "debian-cloud/debian-12"
                                }
                              }
                              network_interface {
                                network = "default"
                              }
                              metadata = {
                                enable-oslogin = "TRUE"
                              }
                            }
                            """);
                        break;
                    default:
                        sb.AppendLine(CultureInfo.InvariantCulture, $$"""
                            resource "aws_db_instance" "{{n}}" {
                              engine                  = "postgres"
                              instance_class          = "db.t3.micro"
                              storage_encrypted       = {{(random.Next(2) == 0 ? "true" : "false")}}
                              backup_retention_period = {{random.Next(0, 15)}}
                            }
                            """);
                        break;
                }
            }

            File.WriteAllText(Path.Combine(module, $"file{i:D5}.tf"), sb.ToString());
        }
    }
}
