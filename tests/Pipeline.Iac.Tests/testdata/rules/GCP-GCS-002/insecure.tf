resource "google_storage_bucket_iam_member" "public" {
  bucket = "data-bucket"
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_storage_bucket_iam_binding" "readers" {
  bucket  = "data-bucket"
  role    = "roles/storage.objectViewer"
  members = [
    "group:team@example.com",
    "allAuthenticatedUsers",
  ]
}
