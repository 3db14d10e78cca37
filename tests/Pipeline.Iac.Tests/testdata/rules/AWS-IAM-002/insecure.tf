data "aws_iam_policy_document" "describe" {
  statement {
    actions   = ["ec2:TerminateInstances"]
    resources = ["*"]
  }
}
