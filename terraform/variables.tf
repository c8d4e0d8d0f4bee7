variable "region" {
  description = "AWS region for the streams, the Flink application and its outputs."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "trailguard"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = { application = "trailguard" }
}

# ---- streams ------------------------------------------------------------------------------------------------

variable "events_stream_mode" {
  description = "Capacity mode of the events stream: PROVISIONED (use events_shard_count) or ON_DEMAND."
  type        = string
  default     = "PROVISIONED"

  validation {
    condition     = contains(["PROVISIONED", "ON_DEMAND"], var.events_stream_mode)
    error_message = "events_stream_mode must be PROVISIONED or ON_DEMAND."
  }
}

variable "events_shard_count" {
  description = "Shards of the events stream (PROVISIONED mode). One shard takes 1,000 records/s; CloudTrail of a busy organisation needs a few."
  type        = number
  default     = 2
}

variable "stream_retention_hours" {
  description = "Retention of both streams, in hours (24 to 8760). The control stream keeps its bundles this long."
  type        = number
  default     = 168
}

variable "kms_key_arn" {
  description = "KMS key encrypting both streams. Empty: a dedicated key is created."
  type        = string
  default     = ""
}

# ---- EventBridge and CloudTrail ------------------------------------------------------------------------------

variable "include_read_only_events" {
  description = "Deliver read-only management events too (GetSecretValue, List*, Describe*): the rule state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. Several rules need them."
  type        = bool
  default     = true
}

variable "organization_mode" {
  description = "Create a central event bus that accepts CloudTrail events from member accounts (or the whole organization) and put the rule on it."
  type        = bool
  default     = false
}

variable "organization_id" {
  description = "Organization mode: the AWS Organizations id (o-xxxxxxxxxx) whose accounts may send events. Empty: use member_account_ids."
  type        = string
  default     = ""
}

variable "member_account_ids" {
  description = "Organization mode without organization_id: the accounts that may send events to the central bus."
  type        = list(string)
  default     = []
}

variable "create_cloudtrail" {
  description = "Create a multi-region CloudTrail trail (with its S3 bucket). EventBridge receives CloudTrail events only while CloudTrail is on; leave false when the account or organization already has a trail."
  type        = bool
  default     = false
}

# ---- the Flink application -----------------------------------------------------------------------------------

variable "jar_path" {
  description = "Path of the job jar built by `mvn -q package -DskipTests` (job/target/trailguard.jar)."
  type        = string
  default     = "../job/target/trailguard.jar"
}

variable "start_application" {
  description = "Start the Managed Flink application after apply."
  type        = bool
  default     = true
}

variable "parallelism" {
  description = "Parallelism of the Flink application (at most the number of events shards is useful for the source)."
  type        = number
  default     = 2
}

variable "parallelism_per_kpu" {
  description = "Parallel tasks per KPU (1 KPU = 1 vCPU, 4 GB)."
  type        = number
  default     = 1
}

variable "autoscaling" {
  description = "Let Managed Flink scale parallelism with load."
  type        = bool
  default     = false
}

variable "checkpoint_interval_ms" {
  description = "Checkpoint interval in milliseconds (exactly-once)."
  type        = number
  default     = 60000
}

variable "log_level" {
  description = "Application log level on Managed Flink: INFO, WARN, ERROR or DEBUG."
  type        = string
  default     = "INFO"
}

variable "rules_matching" {
  description = "all: every matching rule alerts; first: only the first matching rule (Falco's default)."
  type        = string
  default     = "all"
}

variable "out_of_orderness" {
  description = "Bounded out-of-orderness of event time (CloudTrail's delivery delay)."
  type        = string
  default     = "15m"
}

variable "dedup_horizon" {
  description = "Repeated CloudTrail eventIDs within this horizon are dropped."
  type        = string
  default     = "1h"
}

# ---- outputs of alerts ---------------------------------------------------------------------------------------

variable "alerts_to_security_hub" {
  description = "Import alerts into AWS Security Hub (CSPM) as ASFF findings."
  type        = bool
  default     = true
}

variable "alerts_to_cloudwatch" {
  description = "Write alerts and rule status records as JSON lines to a CloudWatch Logs group."
  type        = bool
  default     = true
}

variable "enable_security_hub" {
  description = "Enable Security Hub in this account (no default standards). Leave false when it is already enabled or managed by a delegated administrator."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the alert and application log groups, in days."
  type        = number
  default     = 90
}

# ---- rule publishing -----------------------------------------------------------------------------------------

variable "publisher_principal_arns" {
  description = "IAM principals (users, roles, CI) allowed to assume the publisher role, the only writer of the control stream. Empty: the account root, so IAM policies in the account decide."
  type        = list(string)
  default     = []
}
