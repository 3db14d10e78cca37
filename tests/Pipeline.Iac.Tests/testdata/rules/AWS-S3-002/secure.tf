# Without a public access block resource S3's own default (all four on) applies.
resource "aws_s3_bucket" "data" {
  bucket = "data"
}
