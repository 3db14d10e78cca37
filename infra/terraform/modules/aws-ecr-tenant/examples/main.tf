# Root configuration for one ECR tenant: terraform -chdir=infra/terraform/modules/aws-ecr-tenant/examples
#   init && terraform apply -var-file=contoso.tfvars
provider "aws" {
  region = var.aws_region
}

variable "aws_region" {
  description = "Region of the tenant's ECR repositories."
  type        = string
  default     = "eu-west-1"
}

variable "tenant_name" {
  description = "Tenant name, as in the Azure stack."
  type        = string
}

variable "ingress_url" {
  description = "The pipeline's ECR ingress URL."
  type        = string
}

variable "ingress_header_name" {
  description = "Header carrying the ingress secret."
  type        = string
}

variable "ingress_secret" {
  description = "Shared ingress secret (TF_VAR_ingress_secret)."
  type        = string
  sensitive   = true
}

variable "repository_names" {
  description = "The tenant's repositories."
  type        = list(string)
}

variable "manage_repositories" {
  description = "Manage the repositories' settings here."
  type        = bool
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key, or null."
  type        = string
  default     = null
}

variable "reader_web_identity" {
  description = "Entra federation for the reader role, or null."
  type = object({
    entra_tenant_id = string
    audience        = string
    subject         = string
  })
  default = null
}

variable "invocation_rate_limit_per_second" {
  description = "Maximum deliveries per second."
  type        = number
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
}

module "ecr_tenant" {
  source = "../"

  tenant_name                      = var.tenant_name
  ingress_url                      = var.ingress_url
  ingress_header_name              = var.ingress_header_name
  ingress_secret                   = var.ingress_secret
  repository_names                 = var.repository_names
  manage_repositories              = var.manage_repositories
  kms_key_arn                      = var.kms_key_arn
  reader_web_identity              = var.reader_web_identity
  invocation_rate_limit_per_second = var.invocation_rate_limit_per_second
  tags                             = var.tags
}

output "reader_role_arn" {
  description = "Role the pipeline assumes to pull the repositories."
  value       = module.ecr_tenant.reader_role_arn
}
