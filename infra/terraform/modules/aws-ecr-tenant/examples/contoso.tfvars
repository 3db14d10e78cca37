# Contoso also pushes to ECR in eu-west-1. The ingress secret comes from the environment:
#   export TF_VAR_ingress_secret="$(openssl rand -base64 48)"
tenant_name         = "contoso"
ingress_url         = "https://func-pipeline-contoso-k7q2.azurewebsites.net/api/ingress/ecr/contoso"
ingress_header_name = "X-Pipeline-Secret"
repository_names    = ["contoso/web", "contoso/api"]
manage_repositories = true
kms_key_arn         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
reader_web_identity = {
  entra_tenant_id = "11111111-2222-3333-4444-555555555555"
  audience        = "api://AzureADTokenExchange"
  subject         = "66666666-7777-8888-9999-000000000000"
}
invocation_rate_limit_per_second = 20
tags = {
  tenant   = "contoso"
  workload = "container-scanning"
}
