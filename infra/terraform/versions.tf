# Provider pins. No Terraform binary was available where this was written, so argument names were checked
# against the provider documentation and source, not with `terraform validate`; run `terraform init` and
# `terraform validate` before the first apply.
terraform {
  # 1.11 for write-only arguments (the Key Vault secret value never enters the state).
  required_version = ">= 1.11.0, < 2.0.0"

  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # 4.x with runtime_name = "custom" on azurerm_function_app_flex_consumption and identity_id on
      # container app custom_scale_rule (hashicorp/terraform-provider-azurerm#29777).
      version = ">= 4.60.0, < 5.0.0"
    }
  }
}

provider "azurerm" {
  features {
    key_vault {
      # Purge protection is on; never try to purge on destroy.
      purge_soft_delete_on_destroy = false
    }
  }
  subscription_id = var.subscription_id
  # Shared keys are disabled on the storage account, so the provider's data-plane calls use Entra ID.
  storage_use_azuread = true
}

# The tenant's registry may live in another subscription; its role assignment and Event Grid topic go there.
provider "azurerm" {
  alias = "registry"
  features {}
  subscription_id     = local.registry.subscription_id
  storage_use_azuread = true
}
