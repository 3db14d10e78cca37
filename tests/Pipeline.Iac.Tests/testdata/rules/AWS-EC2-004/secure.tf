resource "aws_security_group" "admin" {
  name = "admin"

  ingress {
    description = "https from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
