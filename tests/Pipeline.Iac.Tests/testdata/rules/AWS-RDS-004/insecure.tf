resource "aws_rds_cluster" "aurora" {
  engine = "aurora-postgresql"
}
