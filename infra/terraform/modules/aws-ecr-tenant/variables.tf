variable "tenant_name" {
  description = "Short tenant name (3 to 10 lowercase letters or digits), the same as the Azure stack's tenant_name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,10}$", var.tenant_name))
    error_message = "tenant_name must be 3 to 10 lowercase letters or digits."
  }
}

variable "ingress_url" {
  description = "HTTPS URL of the pipeline's ECR ingress route, e.g. https://func-pipeline-contoso-k7q2.azurewebsites.net/api/ingress/ecr/{tenant}."
  type        = string

  validation {
    condition     = startswith(var.ingress_url, "https://")
    error_message = "ingress_url must be an https:// URL."
  }
}

variable "ingress_header_name" {
  description = "Header the ingress reads the shared secret from."
  type        = string
  default     = "X-Pipeline-Secret"
}

variable "ingress_secret" {
  description = "Shared secret EventBridge sends in the ingress header; at least 32 characters. EventBridge keeps it in a Secrets Manager secret it manages. Pass it with TF_VAR_ingress_secret."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.ingress_secret) >= 32
    error_message = "ingress_secret must be at least 32 characters."
  }
}

variable "repository_names" {
  description = "ECR repositories whose pushes are scanned and which the reader role may pull."
  type        = list(string)

  validation {
    condition     = length(var.repository_names) > 0 && alltrue([for r in var.repository_names : can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", r))])
    error_message = "repository_names must be one or more valid ECR repository names."
  }
}

variable "manage_repositories" {
  description = "Create and manage the repositories here (scan on push, IMMUTABLE tags, KMS encryption). Leave false when they already exist."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for managed repositories and the dead-letter queue; null uses the AWS-managed keys."
  type        = string
  default     = null
}

variable "reader_trusted_principal_arns" {
  description = "AWS principals (roles or users) allowed to assume the repository reader role."
  type        = list(string)
  default     = []
}

variable "reader_web_identity" {
  description = "Optional federation so the pipeline's Azure managed identity assumes the reader role with its Entra token (AssumeRoleWithWebIdentity): the Entra tenant ID, the token audience and the identity's object ID (subject)."
  type = object({
    entra_tenant_id = string
    audience        = string
    subject         = string
  })
  default = null
}

variable "invocation_rate_limit_per_second" {
  description = "Maximum requests per second EventBridge sends to the ingress."
  type        = number
  default     = 20

  validation {
    condition     = var.invocation_rate_limit_per_second >= 1 && var.invocation_rate_limit_per_second <= 300
    error_message = "invocation_rate_limit_per_second must be between 1 and 300."
  }
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
