# Least privilege, written out. No statement uses a "*" action; a "*" resource appears only where the API has no
# resource-level permissions, with a comment saying so.

# ---- the Flink application ---------------------------------------------------------------------------------

data "aws_iam_policy_document" "flink_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["kinesisanalytics.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "flink" {
  name               = "${var.name_prefix}-flink"
  assume_role_policy = data.aws_iam_policy_document.flink_assume.json
}

data "aws_iam_policy_document" "flink" {
  statement {
    sid = "ReadItsTwoStreams"
    actions = [
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:ListShards",
    ]
    resources = [aws_kinesis_stream.events.arn, aws_kinesis_stream.control.arn]
  }

  statement {
    sid       = "DecryptItsStreams"
    actions   = ["kms:Decrypt"]
    resources = [local.kms_key]
  }

  statement {
    sid       = "ImportFindingsForItsProduct"
    actions   = ["securityhub:BatchImportFindings"]
    resources = [local.security_hub_product_arn]
  }

  statement {
    # the job's CloudWatch Logs sink: CreateLogStream and PutLogEvents only (it never describes streams)
    sid = "WriteAlertLines"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = [
      aws_cloudwatch_log_group.alerts.arn,
      "${aws_cloudwatch_log_group.alerts.arn}:log-stream:*",
    ]
  }

  statement {
    # the service's application logging into the stream Terraform creates (AWS's documented logging policy
    # includes DescribeLogStreams for the service itself; the job never calls it)
    sid = "ApplicationLogging"
    actions = [
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = [
      aws_cloudwatch_log_group.application.arn,
      "${aws_cloudwatch_log_group.application.arn}:log-stream:*",
    ]
  }

  statement {
    sid     = "ListLogGroups"
    actions = ["logs:DescribeLogGroups"]
    # logs:DescribeLogGroups has no resource-level permissions (it lists groups); Managed Flink's logging needs it.
    resources = ["*"]
  }

  statement {
    sid       = "ReadItsJar"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${aws_s3_bucket.artifacts.arn}/${aws_s3_object.jar.key}"]
  }

  # ingestion s3/both: the notification queue and the trail's log files (the log prefix only), see ingestion_s3.tf
  dynamic "statement" {
    for_each = local.s3_ingestion ? [aws_sqs_queue.trail_notifications[0].arn] : []
    content {
      sid = "ReadTrailNotifications"
      actions = [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
      ]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.s3_ingestion ? [local.trail_logs_arn] : []
    content {
      sid       = "ReadTrailLogFiles"
      actions   = ["s3:GetObject"]
      resources = [statement.value]
    }
  }

  # security_lake_custom_source: the ocsf:s3:// output publishes under the source's location (existence check and
  # copy destination) and stages under _trailguard_staging/ in the same bucket (job/OUTPUTS.md)
  dynamic "statement" {
    for_each = local.security_lake ? ["${local.security_lake_bucket_arn}/${local.security_lake_prefix}/*"] : []
    content {
      sid       = "PublishSecurityLakeFindings"
      actions   = ["s3:PutObject", "s3:GetObject"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.security_lake ? ["${local.security_lake_bucket_arn}/_trailguard_staging/${local.security_lake_prefix}/*"] : []
    content {
      sid       = "StageSecurityLakeFindings"
      actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.s3_ingestion && var.trail_kms_key_arn != "" ? [var.trail_kms_key_arn] : []
    content {
      sid       = "DecryptTrailLogFiles"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "flink" {
  name   = "${var.name_prefix}-flink"
  role   = aws_iam_role.flink.id
  policy = data.aws_iam_policy_document.flink.json
}

# ---- EventBridge -> events stream --------------------------------------------------------------------------

data "aws_iam_policy_document" "eventbridge_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "eventbridge" {
  name               = "${var.name_prefix}-eventbridge"
  assume_role_policy = data.aws_iam_policy_document.eventbridge_assume.json
}

data "aws_iam_policy_document" "eventbridge" {
  statement {
    sid       = "PutToTheEventsStreamOnly"
    actions   = ["kinesis:PutRecord", "kinesis:PutRecords"]
    resources = [aws_kinesis_stream.events.arn]
  }

  statement {
    sid       = "EncryptForTheStream"
    actions   = ["kms:GenerateDataKey"]
    resources = [local.kms_key]
  }
}

resource "aws_iam_role_policy" "eventbridge" {
  name   = "${var.name_prefix}-eventbridge"
  role   = aws_iam_role.eventbridge.id
  policy = data.aws_iam_policy_document.eventbridge.json
}

# ---- the rule publisher: the only writer of the control stream ---------------------------------------------

data "aws_iam_policy_document" "publisher_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = local.publishers
    }
  }
}

resource "aws_iam_role" "publisher" {
  name               = "${var.name_prefix}-rule-publisher"
  assume_role_policy = data.aws_iam_policy_document.publisher_assume.json
}

data "aws_iam_policy_document" "publisher" {
  statement {
    sid = "PublishBundles"
    actions = [
      "kinesis:DescribeStreamSummary",
      "kinesis:ListShards",
      "kinesis:PutRecord",
      "kinesis:PutRecords",
    ]
    resources = [aws_kinesis_stream.control.arn]
  }

  statement {
    sid       = "EncryptForTheStream"
    actions   = ["kms:GenerateDataKey"]
    resources = [local.kms_key]
  }

  # publish --sign-key kms:KEY_ARN: KMS Sign with the asymmetric signing key (the private key never leaves KMS)
  dynamic "statement" {
    for_each = var.bundle_signing_key_arn != "" ? [var.bundle_signing_key_arn] : []
    content {
      sid       = "SignBundles"
      actions   = ["kms:Sign"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "publisher" {
  name   = "${var.name_prefix}-rule-publisher"
  role   = aws_iam_role.publisher.id
  policy = data.aws_iam_policy_document.publisher.json
}
