using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.Terraform;

namespace Pipeline.Iac.Tests.Parsing.Terraform;

public sealed class TerraformLoaderTests
{
    private static List<TfResource> Load(Dictionary<string, string> files, IacScanOptions? options = null)
    {
        var errors = new List<string>();
        var loader = new TerraformLoader(files, options ?? new IacScanOptions(), (f, l, m) => errors.Add($"{f}:{l} {m}"));
        var result = loader.LoadAll(CancellationToken.None);
        Assert.Empty(errors);
        return result;
    }

    private static DValue Attr(List<TfResource> rs, string address, string path) =>
        rs.Single(r => r.Address == address).Attributes.Path(path) ?? throw new InvalidOperationException($"{address}.{path} missing");

    private const string Variables = """
        variable "env" {
          default = "dev"
        }
        variable "tls" {
          default = "TLS1_0"
        }
        variable "versioned" {
          type    = bool
          default = false
        }
        variable "extra" {
          type    = string
        }
        resource "aws_s3_bucket" "b" {
          bucket = "data-${var.env}"
          tags   = { tls = var.tls, versioned = var.versioned, extra = var.extra }
        }
        """;

    [Fact]
    public void LoadAll_VariableDefaults_AreUsedWhenNothingElseSetsThem()
    {
        var rs = Load(new() { ["main.tf"] = Variables });
        Assert.Equal("data-dev", Attr(rs, "aws_s3_bucket.b", "bucket").AsString);
        Assert.False(Attr(rs, "aws_s3_bucket.b", "tags.extra").IsKnown);
    }

    [Fact]
    public void LoadAll_VariableSources_ApplyInTerraformPrecedence()
    {
        var dir = IacTestData.WriteFiles(new Dictionary<string, string> { ["prod.tfvars"] = "tls = \"TLS1_1\"\nversioned = true\n" });
        var rs = Load(
            new()
            {
                ["main.tf"] = Variables,
                ["terraform.tfvars"] = "env = \"staging\"\ntls = \"TLS1_2\"\n",
                ["b.auto.tfvars"] = "env = \"auto-b\"\n",
                ["a.auto.tfvars"] = "env = \"auto-a\"\n",
            },
            new IacScanOptions { VarFiles = [Path.Combine(dir, "prod.tfvars")], Vars = new Dictionary<string, string> { ["extra"] = "cli", ["versioned"] = "false" } });

        // *.auto.tfvars in lexical order after terraform.tfvars; then -var-file; then -var.
        Assert.Equal("data-auto-b", Attr(rs, "aws_s3_bucket.b", "bucket").AsString);
        Assert.Equal("TLS1_1", Attr(rs, "aws_s3_bucket.b", "tags.tls").AsString);
        Assert.Equal("cli", Attr(rs, "aws_s3_bucket.b", "tags.extra").AsString);
        Assert.False(Attr(rs, "aws_s3_bucket.b", "tags.versioned").AsBool);
    }

    [Fact]
    public void LoadAll_Locals_ResolveThroughOtherLocalsAndFunctions()
    {
        var rs = Load(new()
        {
            ["main.tf"] = """
                locals {
                  prefix = "app"
                  names  = [for n in ["a", "b"] : "${local.prefix}-${n}"]
                  tags   = merge({ team = "x" }, { name = local.names[1] })
                }
                resource "aws_s3_bucket" "b" {
                  bucket = local.tags.name
                }
                """,
        });
        Assert.Equal("app-b", Attr(rs, "aws_s3_bucket.b", "bucket").AsString);
    }

    [Fact]
    public void LoadAll_CountAndForEach_ExpandInstances()
    {
        var rs = Load(new()
        {
            ["main.tf"] = """
                resource "aws_ebs_volume" "v" {
                  count     = 2
                  size      = 10 + count.index
                  encrypted = count.index == 1
                }
                resource "aws_s3_bucket" "b" {
                  for_each = { logs = "l", data = "d" }
                  bucket   = "${each.key}-${each.value}"
                }
                resource "aws_s3_bucket" "set" {
                  for_each = toset(["x"])
                  bucket   = each.key
                }
                resource "aws_s3_bucket" "none" {
                  count  = 0
                  bucket = "never"
                }
                """,
        });
        Assert.Equal(11, Attr(rs, "aws_ebs_volume.v[1]", "size").AsNumber);
        Assert.True(Attr(rs, "aws_ebs_volume.v[1]", "encrypted").AsBool);
        Assert.Equal("logs-l", Attr(rs, "aws_s3_bucket.b[\"logs\"]", "bucket").AsString);
        Assert.Equal("x", Attr(rs, "aws_s3_bucket.set[\"x\"]", "bucket").AsString);
        Assert.DoesNotContain(rs, r => r.Address.StartsWith("aws_s3_bucket.none", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadAll_DynamicBlocks_ExpandWithIterator()
    {
        var rs = Load(new()
        {
            ["main.tf"] = """
                variable "ports" {
                  default = [22, 443]
                }
                resource "aws_security_group" "sg" {
                  dynamic "ingress" {
                    for_each = var.ports
                    iterator = p
                    content {
                      from_port   = p.value
                      to_port     = p.value
                      protocol    = "tcp"
                      cidr_blocks = ["0.0.0.0/0"]
                    }
                  }
                }
                """,
        });
        var ingress = rs.Single().Attributes.Get("ingress")!.Items;
        Assert.Equal([22.0, 443.0], ingress.Select(i => i.Get("from_port")!.AsNumber));
    }

    [Fact]
    public void LoadAll_LocalModule_GetsInputsAndPrefixedAddresses()
    {
        var rs = Load(new()
        {
            ["main.tf"] = """
                module "store" {
                  source = "./modules/store"
                  name   = "orders"
                }
                resource "aws_sns_topic" "t" {
                  name = module.store.bucket_name
                }
                """,
            ["modules/store/main.tf"] = """
                variable "name" {}
                resource "aws_s3_bucket" "this" {
                  bucket = "store-${var.name}"
                }
                output "bucket_name" {
                  value = aws_s3_bucket.this.bucket
                }
                """,
        });
        Assert.Equal("store-orders", Attr(rs, "module.store.aws_s3_bucket.this", "bucket").AsString);
        Assert.Equal("store-orders", Attr(rs, "aws_sns_topic.t", "name").AsString);
        Assert.Equal("modules/store/main.tf", rs.Single(r => r.Address == "module.store.aws_s3_bucket.this").File);
    }

    [Fact]
    public void LoadAll_ModuleWithForEachAndCount_ExpandsInstances()
    {
        var rs = Load(new()
        {
            ["main.tf"] = """
                module "store" {
                  for_each = { logs = "l", data = "d" }
                  source   = "./store"
                  name     = "${each.key}-${each.value}"
                }
                module "disabled" {
                  count  = 0
                  source = "./store"
                  name   = "never"
                }
                resource "aws_sns_topic" "t" {
                  name = module.store["data"].bucket_name
                }
                """,
            ["store/main.tf"] = """
                variable "name" {}
                resource "aws_s3_bucket" "this" {
                  bucket = var.name
                }
                output "bucket_name" {
                  value = aws_s3_bucket.this.bucket
                }
                """,
        });
        Assert.Equal("logs-l", Attr(rs, "module.store[\"logs\"].aws_s3_bucket.this", "bucket").AsString);
        Assert.Equal("data-d", Attr(rs, "aws_sns_topic.t", "name").AsString);
        Assert.DoesNotContain(rs, r => r.Address.StartsWith("module.disabled", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadAll_ReferenceToComputedAttribute_IsUnknownButKeepsTheResourceAddress()
    {
        var rs = Load(new()
        {
            ["main.tf"] = """
                resource "aws_s3_bucket" "b" {
                  bucket = "x"
                }
                resource "aws_s3_bucket_versioning" "v" {
                  bucket = aws_s3_bucket.b.id
                }
                """,
        });
        var pointer = Attr(rs, "aws_s3_bucket_versioning.v", "bucket");
        Assert.False(pointer.IsKnown);
        Assert.Equal("aws_s3_bucket.b", pointer.Reference);
    }

    [Fact]
    public void Scan_AttachmentLinkedByReference_SettlesTheBucketsSettings()
    {
        var result = IacTestData.ScanFiles(new Dictionary<string, string>
        {
            ["main.tf"] = """
                resource "aws_s3_bucket" "b" {
                  bucket = "x"
                }
                resource "aws_s3_bucket_versioning" "v" {
                  bucket = aws_s3_bucket.b.id
                  versioning_configuration {
                    status = "Suspended"
                  }
                }
                """,
        });
        var finding = Assert.Single(result.Misconfigurations, m => m.RuleId == "AWS-S3-004");
        Assert.False(finding.Defaulted);
        Assert.Equal(7, finding.StartLine);
        Assert.Equal("aws_s3_bucket.b", finding.Resource);
    }

    [Fact]
    public void Scan_UnresolvedValue_ProducesNoFinding()
    {
        var result = IacTestData.ScanFiles(new Dictionary<string, string>
        {
            ["main.tf"] = """
                variable "encrypted" {}
                resource "aws_ebs_volume" "v" {
                  availability_zone = "a"
                  encrypted         = var.encrypted
                }
                """,
        });
        Assert.DoesNotContain(result.Misconfigurations, m => m.RuleId == "AWS-EBS-001");
    }
}
