resource "aws_security_group" "admin" {
  name = "admin"

  ingress {
    description = "admin access"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
