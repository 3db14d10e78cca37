resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = "sg-123"
  description       = "rdp from office"
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
  cidr_ipv4         = "203.0.113.0/24"
}
