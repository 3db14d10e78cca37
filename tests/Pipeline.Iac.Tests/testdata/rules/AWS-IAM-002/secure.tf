data "aws_iam_policy_document" "describe" {
  statement {
    effect    = "Deny"
    actions   = ["ec2:TerminateInstances"]
    resources = ["*"]
  }
}
