# Checked against the aws provider documentation, not with `terraform validate` (no binary where this was
# written); run `terraform validate` before the first apply.
terraform {
  required_version = ">= 1.11.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x: data.aws_region exposes `region`.
      version = ">= 6.0.0, < 7.0.0"
    }
  }
}
