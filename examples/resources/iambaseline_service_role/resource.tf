# An EC2 role: the instance profile of the same name is created because EC2 is trusted.
resource "iambaseline_service_role" "app_server" {
  name                = "app-server"
  description         = "Application servers"
  path                = "/app/"
  trusted_services    = ["ec2.amazonaws.com"]
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]

  inline_policies = {
    read-config = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["ssm:GetParameter", "ssm:GetParametersByPath"]
        Resource = ["arn:aws:ssm:us-east-1:123456789012:parameter/app/*"]
      }]
    })
  }

  tags = { Service = "app" }
}

# A Lambda execution role: no instance profile.
resource "iambaseline_service_role" "thumbnailer" {
  name                 = "thumbnailer"
  path                 = "/app/"
  trusted_services     = ["lambda.amazonaws.com"]
  managed_policy_arns  = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
  permissions_boundary = "arn:aws:iam::123456789012:policy/app-boundary"

  inline_policies = {
    images = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = ["arn:aws:s3:::example-images/*"]
      }]
    })
  }
}

# A role that people of the security account assume, with MFA and an external ID.
resource "iambaseline_service_role" "security_audit" {
  name                 = "security-audit"
  description          = "Assumed from the security account for the quarterly review"
  trusted_account_ids  = ["111122223333"]
  require_mfa          = true
  external_id          = "security-review-2026"
  max_session_duration = 14400
  managed_policy_arns  = ["arn:aws:iam::aws:policy/SecurityAudit"]
}

# A Step Functions role: usable only by this account's state machines named order-* (aws:SourceAccount
# comes from the provider's account, aws:SourceArn from source_arns).
resource "iambaseline_service_role" "order_workflow" {
  name             = "order-workflow"
  path             = "/app/"
  trusted_services = ["states.amazonaws.com"]
  source_arns      = ["arn:aws:states:us-east-1:123456789012:stateMachine:order-*"]

  inline_policies = {
    invoke = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = ["arn:aws:lambda:us-east-1:123456789012:function:order-*"]
      }]
    })
  }
}

# A deploy role that only the CI account's deployer role may assume, not everyone in that account.
resource "iambaseline_service_role" "deploy" {
  name                   = "deploy"
  description            = "Assumed by the CI pipeline"
  trusted_principal_arns = ["arn:aws:iam::444455556666:role/ci/deployer"]
  external_id            = "acme-ci"
  managed_policy_arns    = ["arn:aws:iam::123456789012:policy/app-deploy"]
}

output "app_server_instance_profile" {
  value = iambaseline_service_role.app_server.instance_profile_arn
}
