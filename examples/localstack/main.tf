# The startup example against LocalStack (docker compose -f examples/localstack/docker-compose.yml up -d).
terraform {
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}

provider "iambaseline" {
  region = "us-east-1"
  endpoints {
    iam = "http://127.0.0.1:4566"
    sts = "http://127.0.0.1:4566"
  }
}

module "startup" {
  source = "../startup"
}
