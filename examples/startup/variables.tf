variable "name_prefix" {
  description = "Prefix of every group, policy and role name."
  type        = string
  default     = "acme-"
}

variable "allowed_regions" {
  description = "Regions the startup works in; regional actions elsewhere are denied."
  type        = list(string)
  default     = ["us-east-1", "eu-west-1"]
}

variable "security_email" {
  description = "Who receives the activity alerts (a placeholder: put your security mailbox here)."
  type        = string
  default     = "security@example.com"
}

variable "people" {
  description = "Who works here, and in which of the baseline's groups (role keys or additional groups)."
  type = map(object({
    full_name = string
    email     = string
    job_title = string
    groups    = list(string)
  }))
  default = {
    "ada" = {
      full_name = "Ada Lovelace"
      email     = "ada@example.com"
      job_title = "Software Engineer"
      groups    = ["Developers"]
    }
    "grace" = {
      full_name = "Grace Hopper"
      email     = "grace@example.com"
      job_title = "Site Reliability Engineer"
      groups    = ["SysAdmins", "ReadOnly"]
    }
    "edgar" = {
      full_name = "Edgar Codd"
      email     = "edgar@example.com"
      job_title = "Database Administrator"
      groups    = ["DatabaseAdmins", "Billing"]
    }
  }
}
