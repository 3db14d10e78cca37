output "reader_role_arn" {
  description = "Role the pipeline assumes to pull the tenant's repositories (configure it on the tenant's ECR registry)."
  value       = aws_iam_role.reader.arn
}

output "reader_policy_arn" {
  description = "The read-only repository policy, for attaching to an existing user or role instead."
  value       = aws_iam_policy.reader.arn
}

output "event_rule_arn" {
  description = "EventBridge rule matching successful pushes."
  value       = aws_cloudwatch_event_rule.pushes.arn
}

output "api_destination_arn" {
  description = "API destination delivering pushes to the ingress."
  value       = aws_cloudwatch_event_api_destination.ingress.arn
}

output "connection_secret_arn" {
  description = "Secrets Manager secret EventBridge created for the connection's API key."
  value       = aws_cloudwatch_event_connection.ingress.secret_arn
}

output "dead_letter_queue_url" {
  description = "SQS queue holding pushes EventBridge could not deliver."
  value       = aws_sqs_queue.dead_letters.id
}

output "registry_host" {
  description = "Registry host the pipeline pulls from."
  value       = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${data.aws_region.current.region}.amazonaws.com"
}
