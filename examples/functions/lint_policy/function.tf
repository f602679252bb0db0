# Lint a policy written elsewhere before it reaches AWS (Terraform >= 1.8).
locals {
  deploy_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:GetObject"]
      Resource = "arn:aws:s3:::acme-artifacts/*"
    }]
  })
  deploy_policy_findings = provider::iambaseline::lint_policy(local.deploy_policy)
}

resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = local.deploy_policy

  lifecycle {
    precondition {
      condition     = alltrue([for f in local.deploy_policy_findings : f.severity != "error"])
      error_message = join("\n", [for f in local.deploy_policy_findings : "${f.severity}: ${f.message}"])
    }
  }
}

output "deploy_policy_warnings" {
  value = [for f in local.deploy_policy_findings : f.message if f.severity == "warning"]
}
