# Credentials, region and endpoints resolve like the AWS CLI: environment, shared config, SSO profiles.
provider "iambaseline" {
  region              = "us-east-1"
  profile             = "startup-admin"
  allowed_account_ids = ["123456789012"]
  retry_mode          = "standard"
  max_retries         = 25

  default_tags {
    tags = {
      ManagedBy = "terraform"
    }
  }
}

# Against LocalStack or moto:
# provider "iambaseline" {
#   skip_credentials_validation = false
#   endpoints {
#     iam = "http://127.0.0.1:4566"
#     sts = "http://127.0.0.1:4566"
#   }
# }
