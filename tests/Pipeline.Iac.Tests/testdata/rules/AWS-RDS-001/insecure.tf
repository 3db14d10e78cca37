resource "aws_db_instance" "main" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  publicly_accessible     = true
  storage_encrypted       = true
  backup_retention_period = 7
  deletion_protection     = true
}
