resource "google_storage_bucket" "data" {
  name     = "data-bucket"
  location = "EU"
}
