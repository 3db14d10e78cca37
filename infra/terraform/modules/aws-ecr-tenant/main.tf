# An ECR tenant: EventBridge forwards successful pushes to the pipeline's ingress through an API
# destination carrying the shared secret, and a reader role may pull the tenant's repositories.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  name_prefix = "pipeline-${var.tenant_name}"
  repository_arns = [
    for r in var.repository_names :
    "arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:repository/${r}"
  ]
  entra_issuer = var.reader_web_identity == null ? "" : "sts.windows.net/${var.reader_web_identity.entra_tenant_id}/"
}

resource "aws_ecr_repository" "this" {
  for_each             = var.manage_repositories ? toset(var.repository_names) : toset([])
  name                 = each.value
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  tags = var.tags
}

resource "aws_cloudwatch_event_rule" "pushes" {
  name        = "${local.name_prefix}-ecr-pushes"
  description = "Successful ECR image pushes to the tenant's repositories, forwarded to the scanning pipeline."
  event_pattern = jsonencode({
    source        = ["aws.ecr"]
    "detail-type" = ["ECR Image Action"]
    detail = {
      "action-type"     = ["PUSH"]
      result            = ["SUCCESS"]
      "repository-name" = var.repository_names
    }
  })
  tags = var.tags
}

# The connection keeps the API key in a Secrets Manager secret that EventBridge creates and rotates with it.
resource "aws_cloudwatch_event_connection" "ingress" {
  name               = "${local.name_prefix}-ingress"
  description        = "Shared-secret header for the pipeline ingress."
  authorization_type = "API_KEY"

  auth_parameters {
    api_key {
      key   = var.ingress_header_name
      value = var.ingress_secret
    }
  }
}

resource "aws_cloudwatch_event_api_destination" "ingress" {
  name                             = "${local.name_prefix}-ingress"
  description                      = "The pipeline's ECR ingress route."
  invocation_endpoint              = var.ingress_url
  http_method                      = "POST"
  invocation_rate_limit_per_second = var.invocation_rate_limit_per_second
  connection_arn                   = aws_cloudwatch_event_connection.ingress.arn
}

resource "aws_iam_role" "eventbridge" {
  name = "${local.name_prefix}-eventbridge-invoke"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
        ArnEquals    = { "aws:SourceArn" = aws_cloudwatch_event_rule.pushes.arn }
      }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "eventbridge" {
  name = "invoke-ingress"
  role = aws_iam_role.eventbridge.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "events:InvokeApiDestination"
      Resource = aws_cloudwatch_event_api_destination.ingress.arn
    }]
  })
}

# Events EventBridge could not deliver after its retries land here instead of being dropped.
resource "aws_sqs_queue" "dead_letters" {
  name                      = "${local.name_prefix}-ecr-push-deadletters"
  message_retention_seconds = 1209600
  kms_master_key_id         = var.kms_key_arn
  sqs_managed_sse_enabled   = var.kms_key_arn == null ? true : null
  tags                      = var.tags
}

resource "aws_sqs_queue_policy" "dead_letters" {
  queue_url = aws_sqs_queue.dead_letters.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.dead_letters.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.pushes.arn } }
    }]
  })
}

resource "aws_cloudwatch_event_target" "ingress" {
  rule      = aws_cloudwatch_event_rule.pushes.name
  target_id = "pipeline-ingress"
  arn       = aws_cloudwatch_event_api_destination.ingress.arn
  role_arn  = aws_iam_role.eventbridge.arn

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }

  dead_letter_config {
    arn = aws_sqs_queue.dead_letters.arn
  }
}

# Read access to the tenant's repositories, nothing else. GetAuthorizationToken has no resource-level
# permissions (AWS requires "*" for it); every other action is scoped to the repository ARNs.
resource "aws_iam_policy" "reader" {
  name        = "${local.name_prefix}-ecr-reader"
  description = "Pull the tenant's ECR repositories for scanning."
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "AuthorizationToken"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Sid    = "PullTenantRepositories"
        Effect = "Allow"
        Action = [
          "ecr:BatchGetImage",
          "ecr:GetDownloadUrlForLayer",
          "ecr:BatchCheckLayerAvailability",
          "ecr:DescribeImages",
        ]
        Resource = local.repository_arns
      },
    ]
  })
  tags = var.tags
}

resource "aws_iam_openid_connect_provider" "entra" {
  count          = var.reader_web_identity == null ? 0 : 1
  url            = "https://${local.entra_issuer}"
  client_id_list = [var.reader_web_identity.audience]
  tags           = var.tags
}

locals {
  aws_principal_statements = length(var.reader_trusted_principal_arns) == 0 ? [] : [{
    Effect    = "Allow"
    Principal = { AWS = var.reader_trusted_principal_arns }
    Action    = "sts:AssumeRole"
  }]
  web_identity_statements = var.reader_web_identity == null ? [] : [{
    Effect    = "Allow"
    Principal = { Federated = aws_iam_openid_connect_provider.entra[0].arn }
    Action    = "sts:AssumeRoleWithWebIdentity"
    Condition = {
      StringEquals = {
        "${local.entra_issuer}:aud" = var.reader_web_identity.audience
        "${local.entra_issuer}:sub" = var.reader_web_identity.subject
      }
    }
  }]
}

resource "aws_iam_role" "reader" {
  name        = "${local.name_prefix}-ecr-reader"
  description = "Assumed by the scanning pipeline to pull the tenant's repositories."
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.aws_principal_statements, local.web_identity_statements)
  })
  max_session_duration = 3600
  tags                 = var.tags

  lifecycle {
    precondition {
      condition     = length(var.reader_trusted_principal_arns) > 0 || var.reader_web_identity != null
      error_message = "Set reader_trusted_principal_arns or reader_web_identity so someone can assume the reader role."
    }
  }
}

resource "aws_iam_role_policy_attachment" "reader" {
  role       = aws_iam_role.reader.name
  policy_arn = aws_iam_policy.reader.arn
}
