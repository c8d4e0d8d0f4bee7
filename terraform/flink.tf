# The job jar in a private, versioned bucket, and the Managed Service for Apache Flink application running it.
# Every property below is a configuration key of the job (job/CONFIGURATION.md); group "trailguard" keys are
# taken verbatim.

resource "aws_s3_bucket" "artifacts" {
  bucket_prefix = "${var.name_prefix}-artifacts-"
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_object" "jar" {
  bucket = aws_s3_bucket.artifacts.id
  key    = "trailguard/trailguard.jar"
  source = var.jar_path
  # Not etag = filemd5(): a jar this size is uploaded in parts, whose ETag is no MD5, so every plan would upload it
  # again and restart the application. source_hash is stored in state only.
  source_hash = filesha256(var.jar_path)

  depends_on = [aws_s3_bucket_versioning.artifacts]
}

resource "aws_kinesisanalyticsv2_application" "trailguard" {
  name                   = var.name_prefix
  description            = "Trailguard: real-time CloudTrail threat detection"
  runtime_environment    = "FLINK-1_20"
  service_execution_role = aws_iam_role.flink.arn
  start_application      = var.start_application

  application_configuration {
    application_code_configuration {
      code_content_type = "ZIPFILE"

      code_content {
        s3_content_location {
          bucket_arn     = aws_s3_bucket.artifacts.arn
          file_key       = aws_s3_object.jar.key
          object_version = aws_s3_object.jar.version_id
        }
      }
    }

    environment_properties {
      property_group {
        property_group_id = "trailguard"
        property_map = merge({
          "events.stream"                = aws_kinesis_stream.events.arn
          "events.queue"                 = local.s3_ingestion ? aws_sqs_queue.trail_notifications[0].url : ""
          "control.stream"               = aws_kinesis_stream.control.arn
          "aws.region"                   = var.region
          "events.initial_position"      = "LATEST"
          "control.initial_position"     = "TRIM_HORIZON"
          "event_time.out_of_orderness"  = var.out_of_orderness
          "dedup.horizon"                = var.dedup_horizon
          "rules.matching"               = var.rules_matching
          "outputs"                      = join(",", local.alert_outputs)
          "securityhub.product_arn"      = local.security_hub_product_arn
          "securityhub.account_id"       = local.account_id
          "cloudwatch.log_stream_prefix" = "alerts"
          "cloudwatch.create_log_group"  = "false"
          "dead_letter.output"           = "log"
          "bundles.require_signature"    = tostring(var.bundles_require_signature)
          "bundles.verify_key"           = var.bundles_verify_key
          # findings Security Hub refuses as invalid: a durable place the role already writes (job/OUTPUTS.md)
          "sink.dead_letter" = "cloudwatch:${local.alerts_log_group}:dead-letters"
        }, var.extra_properties)
      }
    }

    flink_application_configuration {
      checkpoint_configuration {
        configuration_type            = "CUSTOM"
        checkpointing_enabled         = true
        checkpoint_interval           = var.checkpoint_interval_ms
        min_pause_between_checkpoints = 5000
      }

      monitoring_configuration {
        configuration_type = "CUSTOM"
        log_level          = var.log_level
        # TASK: the job's counters arrive with dimension Application (this level and all higher are reported) and
        # backPressuredTimeMsPerSecond, a task metric, arrives at all (alarms.tf).
        metrics_level = "TASK"
      }

      parallelism_configuration {
        configuration_type   = "CUSTOM"
        auto_scaling_enabled = var.autoscaling
        parallelism          = var.parallelism
        parallelism_per_kpu  = var.parallelism_per_kpu
      }
    }

    application_snapshot_configuration {
      snapshots_enabled = true
    }

    run_configuration {
      application_restore_configuration {
        application_restore_type = "RESTORE_FROM_LATEST_SNAPSHOT"
      }

      flink_run_configuration {
        allow_non_restored_state = false
      }
    }
  }

  cloudwatch_logging_options {
    log_stream_arn = aws_cloudwatch_log_stream.application.arn
  }

  # The role's policy must exist before the service starts the job with it (the role alone grants nothing).
  depends_on = [aws_iam_role_policy.flink]

  lifecycle {
    precondition {
      condition     = !var.bundles_require_signature || var.bundles_verify_key != ""
      error_message = "bundles_require_signature needs bundles_verify_key (kms-public:b64:...): otherwise every bundle is rejected."
    }

    precondition {
      condition     = !var.alerts_to_security_hub || var.enable_security_hub || var.security_hub_enabled_elsewhere
      error_message = "alerts_to_security_hub needs Security Hub in this account and region: set enable_security_hub = true, or security_hub_enabled_elsewhere = true when it is already enabled (by hand or a delegated administrator). Without it every BatchImportFindings fails and so does the job."
    }

    precondition {
      condition     = var.ingestion == "eventbridge" || (var.trail_bucket_name != "" && (var.trail_notification == "s3" || var.trail_sns_topic_arn != ""))
      error_message = "ingestion s3/both needs trail_bucket_name, and trail_sns_topic_arn when trail_notification = \"sns\"."
    }
  }
}
