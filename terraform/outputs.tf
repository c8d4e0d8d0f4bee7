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
