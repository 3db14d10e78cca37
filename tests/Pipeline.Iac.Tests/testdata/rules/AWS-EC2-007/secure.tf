resource "aws_instance" "db" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  root_block_device {
    encrypted = true
  }
}
