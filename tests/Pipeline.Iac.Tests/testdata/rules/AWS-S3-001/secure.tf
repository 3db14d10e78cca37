resource "aws_s3_bucket" "site" {
  bucket = "private-site"
  acl    = "private"
}
