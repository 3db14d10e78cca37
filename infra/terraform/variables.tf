variable "subscription_id" {
  description = "Subscription the tenant's resources are deployed to."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.subscription_id))
    error_message = "subscription_id must be a subscription GUID."
  }
}

variable "resource_group_name" {
  description = "Existing resource group the tenant's resources are deployed to (the Bicep deployment's target group)."
  type        = string
}

variable "tenant_name" {
  description = "Short tenant name: 3 to 10 lowercase letters or digits. Goes into every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,10}$", var.tenant_name))
    error_message = "tenant_name must be 3 to 10 lowercase letters or digits."
  }
}

variable "unique_suffix" {
  description = "Stable 4 to 6 lowercase letters or digits making globally unique names unique; the same value as Bicep's uniqueSuffix."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{4,6}$", var.unique_suffix))
    error_message = "unique_suffix must be 4 to 6 lowercase letters or digits."
  }
}

variable "location" {
  description = "Azure region for the tenant's resources."
  type        = string
}

variable "hosting_model" {
  description = "functions (Azure Functions custom handler on Flex Consumption) or containerApps (Azure Container Apps with KEDA azure-queue scaling)."
  type        = string
  default     = "functions"

  validation {
    condition     = contains(["functions", "containerApps"], var.hosting_model)
    error_message = "hosting_model must be functions or containerApps."
  }
}

variable "private_networking" {
  description = "VNet, app VNet integration, private endpoints and DNS zones for blob, queue and Key Vault; storage and Key Vault deny public access."
  type        = bool
  default     = true
}

variable "vnet_address_prefix" {
  description = "Address space of the tenant VNet when private_networking is on (a /24 or larger); each subnet takes one half."
  type        = string
  default     = "10.60.0.0/24"

  validation {
    condition     = can(cidrhost(var.vnet_address_prefix, 0)) && tonumber(split("/", var.vnet_address_prefix)[1]) <= 24
    error_message = "vnet_address_prefix must be a CIDR block of /24 or larger."
  }
}

variable "registry_id" {
  description = "Resource ID of the tenant's Azure Container Registry."
  type        = string

  validation {
    condition     = can(regex("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.ContainerRegistry/registries/[^/]+$", var.registry_id))
    error_message = "registry_id must be an ACR resource ID."
  }
}

variable "registry_location" {
  description = "Region of the tenant's registry; the Event Grid system topic must live there."
  type        = string
}

variable "subscribe_to_registry_events" {
  description = "Create the Event Grid subscription. Event Grid validates the endpoint on creation, so deploy the app code first."
  type        = bool
  default     = true
}

variable "ingress_auth" {
  description = "How Event Grid authenticates to the ingress: secret (static secret header) or entra (Entra token)."
  type        = string
  default     = "secret"

  validation {
    condition     = contains(["secret", "entra"], var.ingress_auth)
    error_message = "ingress_auth must be secret or entra."
  }
}

variable "ingress_secret" {
  description = "Shared secret Event Grid sends in the ingress header (ingress_auth = secret); at least 32 characters. Pass it with TF_VAR_ingress_secret."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = var.ingress_secret == "" || length(var.ingress_secret) >= 32
    error_message = "ingress_secret must be at least 32 characters."
  }
}

variable "ingress_secret_version" {
  description = "Bump to write a new ingress_secret to Key Vault (the value is write-only and not kept in state)."
  type        = number
  default     = 1
}

variable "ingress_header_name" {
  description = "Header carrying the ingress secret."
  type        = string
  default     = "X-Pipeline-Ingress-Secret"
}

variable "ingress_rotate_by" {
  description = "Expiry of the ingress secret in Key Vault (RFC 3339). Rotate it before then."
  type        = string

  validation {
    condition     = can(formatdate("YYYY", var.ingress_rotate_by))
    error_message = "ingress_rotate_by must be an RFC 3339 timestamp such as 2027-12-31T00:00:00Z."
  }
}

variable "entra_application_id_or_uri" {
  description = "Entra application ID or URI that protects the ingress (ingress_auth = entra)."
  type        = string
  default     = ""
}

variable "acr_ingress_path" {
  description = "Path of the ACR ingress route on the app host."
  type        = string
  default     = "/api/ingress/eventgrid"
}

variable "container_image" {
  description = "Container image of the pipeline app (containerApps hosting), pulled with the managed identity."
  type        = string
  default     = ""
}

variable "maximum_instance_count" {
  description = "Maximum instances (Flex) or replicas (Container Apps)."
  type        = number
  default     = 40

  validation {
    condition     = var.maximum_instance_count >= 1 && var.maximum_instance_count <= 1000
    error_message = "maximum_instance_count must be between 1 and 1000."
  }
}

variable "instance_memory_mb" {
  description = "Memory per Flex instance in MB."
  type        = number
  default     = 2048

  validation {
    condition     = contains([512, 2048, 4096], var.instance_memory_mb)
    error_message = "instance_memory_mb must be 512, 2048 or 4096."
  }
}

variable "log_retention_days" {
  description = "Days Log Analytics keeps logs."
  type        = number
  default     = 90

  validation {
    condition     = var.log_retention_days >= 30 && var.log_retention_days <= 730
    error_message = "log_retention_days must be between 30 and 730."
  }
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
