resource "google_storage_bucket_iam_member" "team" {
  bucket = "data-bucket"
  role   = "roles/storage.objectViewer"
  member = "group:team@example.com"
}
