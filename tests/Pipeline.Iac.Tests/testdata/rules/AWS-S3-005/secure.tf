resource "aws_s3_bucket" "uploads" {
  bucket = "uploads"
  logging {
    target_bucket = "access-logs"
    target_prefix = "uploads/"
  }
}
