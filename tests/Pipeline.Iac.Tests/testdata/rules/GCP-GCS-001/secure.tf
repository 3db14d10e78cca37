resource "google_storage_bucket" "data" {
  name                        = "data-bucket"
  location                    = "EU"
  uniform_bucket_level_access = true
}
