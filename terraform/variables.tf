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
  description = "KMS key encrypting both streams: a key ARN (arn:...:kms:REGION:ACCOUNT:key/ID), not an alias, since IAM policies match key ARNs. Empty: a dedicated key is created."
  type        = string
  default     = ""

  validation {
    condition     = var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID); an alias ARN does not work in IAM policies."
  }
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

variable "security_hub_enabled_elsewhere" {
  description = "Security Hub is already enabled in this account and region (by hand, or by a delegated administrator). With alerts_to_security_hub, either this or enable_security_hub must be true: a region without Security Hub fails every import and the job."
  type        = bool
  default     = false
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

variable "bundle_signing_key_arn" {
  description = "KMS asymmetric key (SIGN_VERIFY) that `publish --sign-key kms:ARN` signs bundles with: the publisher role gets kms:Sign on it. Empty: no KMS signing."
  type        = string
  default     = ""

  validation {
    condition     = var.bundle_signing_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/mrk-[0-9a-f]{32}$", var.bundle_signing_key_arn))
    error_message = "bundle_signing_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "bundles_require_signature" {
  description = "The job accepts only bundles whose signature verifies with bundles_verify_key (bundles.require_signature)."
  type        = bool
  default     = false
}

variable "bundles_verify_key" {
  description = "Public key verifying bundle signatures (bundles.verify_key): on Managed Flink only kms-public:b64:DER works (the output of `aws kms get-public-key --query PublicKey --output text` after the prefix); hmac:env/hmac:file and kms-public:file need an environment or a file the service does not offer. Empty: none."
  type        = string
  default     = ""

  validation {
    condition     = var.bundles_verify_key == "" || can(regex("^kms-public:b64:[A-Za-z0-9+/=]+$", var.bundles_verify_key))
    error_message = "bundles_verify_key must be empty or kms-public:b64:BASE64_DER (the only form usable on Managed Flink)."
  }
}

variable "extra_properties" {
  description = "More job configuration keys for the property group trailguard (job/CONFIGURATION.md), e.g. { \"rate.allowed_lateness\" = \"30m\", \"kinesis.flink.shard.getrecords.intervalmillis\" = \"500\" }. They override the module's values; keys that only mean something for local runs are refused."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for k in keys(var.extra_properties) : contains([
      "events.initial_position", "events.initial_timestamp", "control.initial_position", "control.bootstrap_timeout",
      "bundles.require_signature", "bundles.verify_key", "event_time.out_of_orderness", "event_time.idleness",
      "dedup.horizon", "findings.times_ttl", "rate.allowed_lateness", "rules.matching", "outputs",
      "securityhub.product_arn",
      "securityhub.account_id", "securityhub.flush", "cloudwatch.log_stream_prefix", "cloudwatch.create_log_group",
      "cloudwatch.flush", "dead_letter.output", "bundles.chunk_timeout", "securityhub.on_unavailable",
      "sink.retry.max_backoff", "sink.retry.limit", "sink.retry.report_interval", "sink.dead_letter",
      "events.accounts", "events.regions", "events.queue.visibility_timeout",
      "pipeline.buffer_timeout",
      "rules.bundled", "rules.disable", "rules.disable_tags",
      "lake.staging", "lake.compression", "lake.row_group_size", "lake.target_object_size",
    ], k) || startswith(k, "kinesis.")])
    error_message = "extra_properties: a key the job reads on Managed Flink (job/CONFIGURATION.md), or kinesis.*; keys for local runs only (endpoint override, AWS profile, rules path, checkpoints, parallelism, web UI port, sink dead-letter file) are refused."
  }
}

# ---- Amazon Security Lake (security_lake.tf) -----------------------------------------------------------------

variable "security_lake_custom_source" {
  description = "Register Trailguard as an Amazon Security Lake custom source (Security Lake must be enabled in the region) and add the ocsf:s3:// output for its location (job/OUTPUTS.md)."
  type        = bool
  default     = false
}

variable "security_lake_bucket_name" {
  description = "The Security Lake bucket of the region (aws-security-data-lake-REGION-...); needed with security_lake_custom_source."
  type        = string
  default     = ""
}

variable "security_lake_source_name" {
  description = "Name of the custom source (its location is ext/NAME/); at most 20 characters, as Security Lake asks."
  type        = string
  default     = "trailguard"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,20}$", var.security_lake_source_name))
    error_message = "security_lake_source_name must be 1-20 letters, digits, dashes or underscores."
  }
}

variable "security_lake_event_classes" {
  description = "OCSF event classes of the custom source, as Security Lake names them; the job writes Detection Findings (class 2004)."
  type        = list(string)
  default     = ["DETECTION_FINDING"]
}

variable "security_lake_manage_staging_lifecycle" {
  description = "Put the lifecycle rule that expires leftover staged files on the Security Lake bucket. It replaces the bucket's lifecycle configuration, which Security Lake manages: leave false and add the rule by hand (job/OUTPUTS.md) unless the bucket has no other rules."
  type        = bool
  default     = false
}

variable "security_lake_staging_expiration_days" {
  description = "Age at which leftover staged files (_trailguard_staging/) expire; longer than any time the job may stay down before it is restored from its newest checkpoint."
  type        = number
  default     = 7
}

# ---- operations ----------------------------------------------------------------------------------------------

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic (confirm the subscription mail). Empty: subscribe your own endpoints to the topic (output alarm_topic_arn)."
  type        = string
  default     = ""
}

variable "no_events_minutes" {
  description = "Alarm when the job has read no CloudTrail event for this many minutes (a broken rule, trail or stream looks like a quiet account otherwise). Quiet accounts need a larger value."
  type        = number
  default     = 30

  validation {
    condition     = var.no_events_minutes >= 5 && var.no_events_minutes <= 1440
    error_message = "no_events_minutes must be between 5 and 1440."
  }
}

variable "iterator_age_alarm_ms" {
  description = "Alarm when the oldest unread record of the events stream is older than this (ms): the job is falling behind."
  type        = number
  default     = 300000
}

variable "input_dead_letters_per_5_minutes" {
  description = "Alarm when more input records than this become dead letters within 5 minutes (a spike of malformed input)."
  type        = number
  default     = 100
}

# ---- ingestion paths (docs/ingestion.md) ---------------------------------------------------------------------

variable "ingestion" {
  description = "How CloudTrail events reach the job: eventbridge (EventBridge rule -> Kinesis, seconds, management events of the rule's region and forwarding accounts), s3 (the trail's log files announced on an SQS queue, about 5 minutes, every account, region and data event the trail logs), or both (the job drops the overlap by eventID)."
  type        = string
  default     = "eventbridge"

  validation {
    condition     = contains(["eventbridge", "s3", "both"], var.ingestion)
    error_message = "ingestion must be eventbridge, s3 or both."
  }
}

variable "trail_bucket_name" {
  description = "ingestion s3/both: the existing bucket the trail delivers its log files to (it may be in another account: see trail_bucket_account_id)."
  type        = string
  default     = ""
}

variable "trail_bucket_prefix" {
  description = "ingestion s3/both: the trail's S3 key prefix (empty, or e.g. \"central/\", ending with /). The job may read only PREFIX/AWSLogs/*."
  type        = string
  default     = ""

  validation {
    condition     = var.trail_bucket_prefix == "" || can(regex("^[^/].*/$", var.trail_bucket_prefix))
    error_message = "trail_bucket_prefix must be empty or end with / (and not start with one)."
  }
}

variable "trail_bucket_account_id" {
  description = "ingestion s3/both: the account owning the trail bucket when it is not this one (a log-archive account). Terraform cannot change that bucket from here: add the bucket policy statement and notification from output trail_bucket_policy_statement (docs/ingestion.md)."
  type        = string
  default     = ""
}

variable "trail_notification" {
  description = "ingestion s3/both: how new log files are announced: s3 (an S3 event notification from the bucket to the queue, created here when the bucket is in this account; it replaces the bucket's notification configuration) or sns (a subscription of the queue to the trail's existing SNS topic, trail_sns_topic_arn)."
  type        = string
  default     = "s3"

  validation {
    condition     = contains(["s3", "sns"], var.trail_notification)
    error_message = "trail_notification must be s3 or sns."
  }
}

variable "trail_sns_topic_arn" {
  description = "trail_notification = sns: the SNS topic CloudTrail (or the bucket) notifies of new log files."
  type        = string
  default     = ""
}

variable "trail_kms_key_arn" {
  description = "ingestion s3/both: the KMS key the trail encrypts its log files with (SSE-KMS); empty for SSE-S3. The job gets kms:Decrypt on it; the key policy must allow this account."
  type        = string
  default     = ""
}
