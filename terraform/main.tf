data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  kms_key    = var.kms_key_arn != "" ? var.kms_key_arn : aws_kms_key.streams[0].arn

  events_stream_name  = "${var.name_prefix}-events"
  control_stream_name = "${var.name_prefix}-control"
  alerts_log_group    = "/${var.name_prefix}/alerts"
  app_log_group       = "/aws/kinesis-analytics/${var.name_prefix}"

  # Security Hub's default product for findings a customer imports itself.
  security_hub_product_arn = "arn:${local.partition}:securityhub:${var.region}:${local.account_id}:product/${local.account_id}/default"

  alert_outputs = concat(
    var.alerts_to_security_hub ? ["securityhub"] : [],
    var.alerts_to_cloudwatch ? ["cloudwatch:${local.alerts_log_group}"] : [],
    local.security_lake ? ["ocsf:${local.security_lake_location}"] : [],
  )

  publishers = length(var.publisher_principal_arns) > 0 ? var.publisher_principal_arns : [
    "arn:${local.partition}:iam::${local.account_id}:root",
  ]
}

# ---- encryption --------------------------------------------------------------------------------------------

resource "aws_kms_key" "streams" {
  count                   = var.kms_key_arn == "" ? 1 : 0
  description             = "${var.name_prefix}: encryption of the events and control streams"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "streams" {
  count         = var.kms_key_arn == "" ? 1 : 0
  name          = "alias/${var.name_prefix}-streams"
  target_key_id = aws_kms_key.streams[0].key_id
}

# ---- streams -----------------------------------------------------------------------------------------------

resource "aws_kinesis_stream" "events" {
  name             = local.events_stream_name
  shard_count      = var.events_stream_mode == "PROVISIONED" ? var.events_shard_count : null
  retention_period = var.stream_retention_hours
  encryption_type  = "KMS"
  kms_key_id       = local.kms_key

  stream_mode_details {
    stream_mode = var.events_stream_mode
  }
}

resource "aws_kinesis_stream" "control" {
  name             = local.control_stream_name
  shard_count      = 1 # bundles must stay in order: one shard
  retention_period = var.stream_retention_hours
  encryption_type  = "KMS"
  kms_key_id       = local.kms_key

  stream_mode_details {
    stream_mode = "PROVISIONED"
  }
}

# ---- log groups --------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "alerts" {
  name              = local.alerts_log_group
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_group" "application" {
  name              = local.app_log_group
  retention_in_days = var.log_retention_days
}

# Managed Flink drops application logs silently when the stream does not exist: create it.
resource "aws_cloudwatch_log_stream" "application" {
  name           = "application"
  log_group_name = aws_cloudwatch_log_group.application.name
}

# ---- Security Hub ------------------------------------------------------------------------------------------

resource "aws_securityhub_account" "this" {
  count                    = var.enable_security_hub ? 1 : 0
  enable_default_standards = false
}
