resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = "sg-123"
  description       = "rdp"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
