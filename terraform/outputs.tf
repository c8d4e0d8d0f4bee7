output "events_stream_arn" {
  description = "ARN of the Kinesis stream EventBridge writes CloudTrail events to."
  value       = aws_kinesis_stream.events.arn
}

output "control_stream_arn" {
  description = "ARN of the control stream: publish rule bundles here (trailguard.jar publish --stream ...)."
  value       = aws_kinesis_stream.control.arn
}

output "control_stream_name" {
  description = "Name of the control stream."
  value       = aws_kinesis_stream.control.name
}

output "publisher_role_arn" {
  description = "Role to assume for `publish` (the only writer of the control stream)."
  value       = aws_iam_role.publisher.arn
}

output "application_name" {
  description = "Name of the Managed Service for Apache Flink application."
  value       = aws_kinesisanalyticsv2_application.trailguard.name
}

output "application_arn" {
  description = "ARN of the Managed Service for Apache Flink application."
  value       = aws_kinesisanalyticsv2_application.trailguard.arn
}

output "alerts_log_group" {
  description = "CloudWatch Logs group receiving alert JSON lines."
  value       = aws_cloudwatch_log_group.alerts.name
}

output "application_log_group" {
  description = "CloudWatch Logs group of the application's own logs."
  value       = aws_cloudwatch_log_group.application.name
}

output "security_hub_product_arn" {
  description = "Product ARN findings are imported under."
  value       = local.security_hub_product_arn
}

output "event_bus_name" {
  description = "Event bus carrying the CloudTrail rule (default, or the central bus in organization mode)."
  value       = local.event_bus_name
}

output "artifacts_bucket" {
  description = "Bucket holding the job jar."
  value       = aws_s3_bucket.artifacts.id
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies (subscribe pagers or chat here)."
  value       = aws_sns_topic.alarms.arn
}

output "events_dead_letter_queue_url" {
  description = "SQS queue holding CloudTrail events EventBridge could not deliver to the events stream."
  value       = aws_sqs_queue.events_dead_letters.id
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the job."
  value       = aws_cloudwatch_dashboard.trailguard.dashboard_name
}

output "trail_notifications_queue_url" {
  description = "ingestion s3/both: the SQS queue the job reads new-log-file notifications from (events.queue)."
  value       = local.s3_ingestion ? aws_sqs_queue.trail_notifications[0].url : null
}

output "trail_bucket_policy_statement" {
  description = "ingestion s3/both with the trail bucket in another account: the statement to add to that bucket's policy so the job's role may read the log files (and, for SSE-KMS, allow the role kms:Decrypt in the key policy). Then point the bucket's event notification (or the trail's SNS topic) at trail_notifications_queue_url."
  value = local.s3_ingestion ? jsonencode({
    Sid       = "TrailguardReadsLogFiles"
    Effect    = "Allow"
    Principal = { AWS = aws_iam_role.flink.arn }
    Action    = "s3:GetObject"
    Resource  = local.trail_logs_arn
  }) : null
}

output "central_event_bus_arn" {
  description = "The bus forwarding rules of other regions and member accounts send to (modules/cloudtrail-forwarding)."
  value       = var.organization_mode ? aws_cloudwatch_event_bus.central[0].arn : "arn:${local.partition}:events:${var.region}:${local.account_id}:event-bus/default"
}

output "security_lake_location" {
  description = "s3://BUCKET/ext/SOURCE of the Security Lake custom source the ocsf:s3:// output writes to (empty without security_lake_custom_source)."
  value       = local.security_lake_location
}
