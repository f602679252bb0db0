# A Developer deploys a small app: a function with its own role, an API in front of it, a schedule and a
# dashboard. This file is the IAM part, made with this provider: the roles the app runs as, created
# under /app/ with the baseline's app permissions boundary, the only way a Developers member may
# create a role. app.tf.example is the rest of the app (hashicorp/aws resources), to rename to app.tf
# where the AWS provider is installed.
#
# Two people apply this in a real company, usually from two repositories:
#   - an administrator applies the baseline once (the platform);
#   - a Developer applies the app roles and the app, reading the boundary's ARN from the platform
#     (here the same configuration, so that it runs in one apply).

terraform {
  required_version = ">= 1.6"
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}

provider "iambaseline" {}

variable "name_prefix" {
  description = "Prefix of the baseline's groups and policies; the app's resources are named <name_prefix>app-*."
  type        = string
  default     = "acme-"
}

locals {
  # The app scope the baseline derives from name_prefix: names acme-app-*, roles under /app/.
  app = iambaseline_startup_group_baseline.platform.app_scope.name_prefix
}

# The platform (an administrator): the groups, and the app permissions boundary <name_prefix>AppBoundary
# that every role a Developer creates must carry.
resource "iambaseline_startup_group_baseline" "platform" {
  name_prefix = var.name_prefix
  groups      = ["Developers", "ReadOnly"]
}

# The function's role. Developers may create it only under /app/ and only with the app boundary: with
# both, what it may do is what its policies allow within the app's ceiling (the boundary), and it can
# never write IAM, blind the audit or read another system's secrets, whatever policy it is given.
resource "iambaseline_service_role" "api" {
  name                 = "${local.app}api"
  path                 = "/app/"
  description          = "Role of the ${local.app}api function"
  trusted_services     = ["lambda.amazonaws.com"]
  managed_policy_arns  = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
  permissions_boundary = iambaseline_startup_group_baseline.platform.app_boundary_policy_arn

  inline_policies = {
    orders = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
        Resource = ["arn:aws:dynamodb:*:*:table/${local.app}orders"]
      }]
    })
  }
}

# The role EventBridge Scheduler runs the schedule as: it may invoke the app's function, nothing else.
resource "iambaseline_service_role" "schedule" {
  name                 = "${local.app}nightly"
  path                 = "/app/"
  description          = "Role of the ${local.app}nightly schedule"
  trusted_services     = ["scheduler.amazonaws.com"]
  permissions_boundary = iambaseline_startup_group_baseline.platform.app_boundary_policy_arn

  inline_policies = {
    invoke = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = ["arn:aws:lambda:*:*:function:${local.app}api"]
      }]
    })
  }
}

output "app_boundary_policy_arn" {
  description = "The boundary every app role carries."
  value       = iambaseline_startup_group_baseline.platform.app_boundary_policy_arn
}

output "function_role_arn" {
  description = "role of aws_lambda_function.api (app.tf.example)"
  value       = iambaseline_service_role.api.arn
}

output "schedule_role_arn" {
  description = "role_arn of aws_scheduler_schedule.nightly (app.tf.example)"
  value       = iambaseline_service_role.schedule.arn
}
