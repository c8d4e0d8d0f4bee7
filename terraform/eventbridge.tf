# CloudTrail-delivered events -> the events stream. In organization mode a central bus receives them from the
# member accounts (each member forwards its default bus to it) and the rule sits on that bus.

locals {
  event_bus_name = var.organization_mode ? aws_cloudwatch_event_bus.central[0].name : "default"

  # source prefix "aws.": AWS services' events only. PutEvents callers cannot send a source beginning with "aws.",
  # so a principal allowed to put events on the bus cannot forge a CloudTrail event.
  cloudtrail_event_pattern = jsonencode({
    "source" = [{ "prefix" = "aws." }]
    "detail-type" = [
      "AWS API Call via CloudTrail",
      "AWS Console Sign In via CloudTrail",
      "AWS Console Signin via CloudTrail",
      "AWS Console Action via CloudTrail",
      "AWS Service Event via CloudTrail",
    ]
  })
}

resource "aws_cloudwatch_event_bus" "central" {
  count = var.organization_mode ? 1 : 0
  name  = "${var.name_prefix}-cloudtrail"
}

data "aws_iam_policy_document" "central_bus" {
  count = var.organization_mode ? 1 : 0

  statement {
    sid       = "MemberAccountsPutEvents"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.central[0].arn]

    principals {
      type        = "AWS"
      identifiers = var.organization_id != "" ? ["*"] : [for id in var.member_account_ids : "arn:${local.partition}:iam::${id}:root"]
    }

    dynamic "condition" {
      for_each = var.organization_id != "" ? [var.organization_id] : []
      content {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "central" {
  count          = var.organization_mode ? 1 : 0
  event_bus_name = aws_cloudwatch_event_bus.central[0].name
  policy         = data.aws_iam_policy_document.central_bus[0].json
}

resource "aws_cloudwatch_event_rule" "cloudtrail" {
  name           = "${var.name_prefix}-cloudtrail-to-kinesis"
  description    = "CloudTrail events for Trailguard"
  event_bus_name = local.event_bus_name
  event_pattern  = local.cloudtrail_event_pattern
  # ingestion = "s3": the rule stays, disabled, so that switching to "both" needs no new stream or target
  state = var.ingestion == "s3" ? "DISABLED" : (var.include_read_only_events ? "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" : "ENABLED")
}

resource "aws_cloudwatch_event_target" "events_stream" {
  rule           = aws_cloudwatch_event_rule.cloudtrail.name
  event_bus_name = local.event_bus_name
  target_id      = "trailguard-events-stream"
  arn            = aws_kinesis_stream.events.arn
  role_arn       = aws_iam_role.eventbridge.arn

  kinesis_target {
    # the envelope id is unique per event: records spread evenly over the shards
    partition_key_path = "$.id"
  }

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }

  # What EventBridge still cannot deliver after the retries (stream deleted, throttled for a day, role broken)
  # lands here instead of vanishing; alarms.tf alarms on it.
  dead_letter_config {
    arn = aws_sqs_queue.events_dead_letters.arn
  }
}

resource "aws_sqs_queue" "events_dead_letters" {
  name                      = "${var.name_prefix}-events-dead-letters"
  message_retention_seconds = 1209600 # 14 days, the maximum: time to notice, fix and re-drive
  sqs_managed_sse_enabled   = true    # SSE-SQS: EventBridge needs no KMS grant to write
}

data "aws_iam_policy_document" "events_dead_letters" {
  statement {
    sid       = "EventBridgeRuleSendsItsDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.events_dead_letters.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = concat([aws_cloudwatch_event_rule.cloudtrail.arn], aws_cloudwatch_event_rule.own_account[*].arn)
    }
  }
}

resource "aws_sqs_queue_policy" "events_dead_letters" {
  queue_url = aws_sqs_queue.events_dead_letters.id
  policy    = data.aws_iam_policy_document.events_dead_letters.json
}

# Organization mode: the detection account's own events are on its default bus, not on the central bus the main rule
# reads; this rule sends them to the events stream as well.
resource "aws_cloudwatch_event_rule" "own_account" {
  count          = var.organization_mode ? 1 : 0
  name           = "${var.name_prefix}-own-cloudtrail-to-kinesis"
  description    = "The detection account's own CloudTrail events for Trailguard (organization mode)"
  event_bus_name = "default"
  event_pattern  = local.cloudtrail_event_pattern
  state          = aws_cloudwatch_event_rule.cloudtrail.state
}

resource "aws_cloudwatch_event_target" "own_account" {
  count          = var.organization_mode ? 1 : 0
  rule           = aws_cloudwatch_event_rule.own_account[0].name
  event_bus_name = "default"
  target_id      = "trailguard-events-stream"
  arn            = aws_kinesis_stream.events.arn
  role_arn       = aws_iam_role.eventbridge.arn

  kinesis_target {
    partition_key_path = "$.id"
  }

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }

  dead_letter_config {
    arn = aws_sqs_queue.events_dead_letters.arn
  }
}
