resource "aws_instance" "bastion" {
  ami                         = "ami-123"
  instance_type               = "t3.micro"
  associate_public_ip_address = false
}
