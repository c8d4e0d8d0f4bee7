# ingestion = "s3" | "both": the trail's new log files are announced on an SQS queue (an S3 event notification, or
# the trail's SNS topic), and the job reads each file from the trail bucket (job/CONFIGURATION.md events.queue).

locals {
  s3_ingestion       = var.ingestion != "eventbridge"
  trail_bucket_arn   = "arn:${local.partition}:s3:::${var.trail_bucket_name}"
  trail_logs_arn     = "${local.trail_bucket_arn}/${var.trail_bucket_prefix}AWSLogs/*"
  trail_bucket_local = var.trail_bucket_account_id == "" || var.trail_bucket_account_id == local.account_id
}

resource "aws_sqs_queue" "trail_notifications_dead_letters" {
  count                     = local.s3_ingestion ? 1 : 0
  name                      = "${var.name_prefix}-trail-notifications-dead-letters"
  message_retention_seconds = 1209600 # 14 days: time to notice, fix and re-drive
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "trail_notifications" {
  count = local.s3_ingestion ? 1 : 0
  name  = "${var.name_prefix}-trail-notifications"
  # the job receives with its own visibility timeout (events.queue.visibility_timeout) and extends it while a file
  # is in flight; this one applies to other consumers only
  visibility_timeout_seconds = 300
  message_retention_seconds  = 345600 # 4 days: a stopped job resumes from where the queue is
  receive_wait_time_seconds  = 1
  sqs_managed_sse_enabled    = true

  # a message that is no notification (or keeps failing) moves to the dead-letter queue instead of cycling forever
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.trail_notifications_dead_letters[0].arn
    maxReceiveCount     = 5
  })
}

data "aws_iam_policy_document" "trail_notifications" {
  count = local.s3_ingestion ? 1 : 0

  statement {
    sid       = "TheTrailBucketAnnouncesNewFiles"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.trail_notifications[0].arn]

    principals {
      type        = "Service"
      identifiers = var.trail_notification == "sns" ? ["sns.amazonaws.com"] : ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [var.trail_notification == "sns" ? var.trail_sns_topic_arn : local.trail_bucket_arn]
    }
  }
}

resource "aws_sqs_queue_policy" "trail_notifications" {
  count     = local.s3_ingestion ? 1 : 0
  queue_url = aws_sqs_queue.trail_notifications[0].id
  policy    = data.aws_iam_policy_document.trail_notifications[0].json
}

# Only for a bucket of this account: S3 keeps one notification configuration per bucket, which this resource owns
# (merge existing notifications into it, or use trail_notification = "sns").
resource "aws_s3_bucket_notification" "trail" {
  count  = local.s3_ingestion && var.trail_notification == "s3" && local.trail_bucket_local ? 1 : 0
  bucket = var.trail_bucket_name

  queue {
    id            = "${var.name_prefix}-new-log-files"
    queue_arn     = aws_sqs_queue.trail_notifications[0].arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = "${var.trail_bucket_prefix}AWSLogs/"
  }

  depends_on = [aws_sqs_queue_policy.trail_notifications]
}

resource "aws_sns_topic_subscription" "trail" {
  count                = local.s3_ingestion && var.trail_notification == "sns" ? 1 : 0
  topic_arn            = var.trail_sns_topic_arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.trail_notifications[0].arn
  raw_message_delivery = true
}
