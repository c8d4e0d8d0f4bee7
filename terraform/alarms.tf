# Alarms, their SNS topic, and the signals they watch. Managed Flink exports the job's counters (job/.../metrics/
# MetricCatalog.java, table in deployment/managed-flink/README.md) to AWS/KinesisAnalytics with dimension
# Application. A counter arrives as its running total since the task started (like the service's own
# numberOfFailedCheckpoints), so alarms on counters watch its increase per period: DIFF of the series, where a drop
# (a restart resets the total) counts as the new total. Runbook per alarm: deployment/managed-flink/README.md.

locals {
  application_name = var.name_prefix # the application's name (flink.tf), known before it exists
  alarm_actions    = [aws_sns_topic.alarms.arn]
  # the increase of a running total m over one period; a negative difference is a reset to m
  increase = "IF(DIFF(m) < 0, m, DIFF(m))"
}

resource "aws_sns_topic" "alarms" {
  name = "${var.name_prefix}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email != "" ? 1 : 0
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# ---- the service's recommended alarms ------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "downtime" {
  alarm_name          = "${var.name_prefix}-downtime"
  alarm_description   = "The Flink job is failing or restarting (downtime > 0 for 3 minutes). Runbook: downtime."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "downtime"
  dimensions          = { Application = local.application_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching" # a stopped application reports nothing; the no-events alarm covers it
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "full_restarts" {
  alarm_name          = "${var.name_prefix}-full-restarts"
  alarm_description   = "The Flink job restarted fully within 5 minutes (fullRestarts increased). Runbook: full-restarts."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions

  metric_query {
    id          = "m"
    return_data = false
    metric {
      namespace   = "AWS/KinesisAnalytics"
      metric_name = "fullRestarts"
      dimensions  = { Application = local.application_name }
      stat        = "Maximum"
      period      = 300
    }
  }

  metric_query {
    id          = "increase"
    expression  = local.increase
    label       = "full restarts per 5 minutes"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "failed_checkpoints" {
  alarm_name          = "${var.name_prefix}-failed-checkpoints"
  alarm_description   = "A checkpoint failed within 5 minutes (numberOfFailedCheckpoints increased). Runbook: failed-checkpoints."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions

  metric_query {
    id          = "m"
    return_data = false
    metric {
      namespace   = "AWS/KinesisAnalytics"
      metric_name = "numberOfFailedCheckpoints"
      dimensions  = { Application = local.application_name }
      stat        = "Maximum"
      period      = 300
    }
  }

  metric_query {
    id          = "increase"
    expression  = local.increase
    label       = "failed checkpoints per 5 minutes"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "checkpoint_duration" {
  alarm_name          = "${var.name_prefix}-checkpoint-duration"
  alarm_description   = "Checkpoints take more than half the checkpoint interval for 15 minutes (lastCheckpointDuration). Runbook: checkpoint-duration."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "lastCheckpointDuration"
  dimensions          = { Application = local.application_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.checkpoint_interval_ms / 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "${var.name_prefix}-cpu"
  alarm_description   = "CPU above 80% for 15 minutes (cpuUtilization, hottest task manager). Runbook: cpu-heap."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "cpuUtilization"
  dimensions          = { Application = local.application_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "heap" {
  alarm_name          = "${var.name_prefix}-heap"
  alarm_description   = "Heap above 90% for 15 minutes (heapMemoryUtilization). Runbook: cpu-heap."
  namespace           = "AWS/KinesisAnalytics"
  metric_name         = "heapMemoryUtilization"
  dimensions          = { Application = local.application_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 90
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# backPressuredTimeMsPerSecond is a task metric (dimensions Application and TaskName, metrics level TASK): a
# Metrics Insights query takes the worst task without naming the tasks, which change with the job graph.
resource "aws_cloudwatch_metric_alarm" "backpressure" {
  alarm_name          = "${var.name_prefix}-backpressure"
  alarm_description   = "A task is back-pressured more than half of the time for 15 minutes (backPressuredTimeMsPerSecond > 500). Runbook: backpressure."
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 500
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "q"
    expression  = "SELECT MAX(backPressuredTimeMsPerSecond) FROM \"AWS/KinesisAnalytics\" WHERE Application = '${local.application_name}'"
    period      = 300
    label       = "worst task, ms back-pressured per second"
    return_data = true
  }
}

# ---- input: the events stream and EventBridge -----------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  alarm_name          = "${var.name_prefix}-events-iterator-age"
  alarm_description   = "The job is behind on the events stream (GetRecords.IteratorAgeMilliseconds above the threshold for 5 minutes). Runbook: iterator-age."
  namespace           = "AWS/Kinesis"
  metric_name         = "GetRecords.IteratorAgeMilliseconds"
  dimensions          = { StreamName = aws_kinesis_stream.events.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.iterator_age_alarm_ms
  treat_missing_data  = "notBreaching" # no GetRecords at all is the downtime / no-events alarms' case
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "no_events" {
  alarm_name          = "${var.name_prefix}-no-events"
  alarm_description   = "No CloudTrail event read for ${var.no_events_minutes} minutes (eventsRead did not increase; no data counts as none). A broken EventBridge rule, trail or job looks like a quiet account otherwise. Runbook: no-events."
  evaluation_periods  = var.no_events_minutes
  datapoints_to_alarm = var.no_events_minutes
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching" # a stopped or failed job reports nothing: that is no events too
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "m"
    return_data = false
    metric {
      namespace   = "AWS/KinesisAnalytics"
      metric_name = "eventsRead"
      dimensions  = { Application = local.application_name }
      stat        = "Maximum"
      period      = 60
    }
  }

  metric_query {
    id          = "increase"
    expression  = local.increase
    label       = "events read per minute"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "input_dead_letters" {
  alarm_name          = "${var.name_prefix}-input-dead-letters"
  alarm_description   = "More than ${var.input_dead_letters_per_5_minutes} input records became dead letters within 5 minutes (deadLetters). Runbook: input-dead-letters."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.input_dead_letters_per_5_minutes
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions

  metric_query {
    id          = "m"
    return_data = false
    metric {
      namespace   = "AWS/KinesisAnalytics"
      metric_name = "deadLetters"
      dimensions  = { Application = local.application_name }
      stat        = "Maximum"
      period      = 300
    }
  }

  metric_query {
    id          = "increase"
    expression  = local.increase
    label       = "input dead letters per 5 minutes"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "eventbridge_dead_letters" {
  alarm_name          = "${var.name_prefix}-eventbridge-dead-letters"
  alarm_description   = "EventBridge could not deliver CloudTrail events to the events stream; they wait in the dead-letter queue (ApproximateNumberOfMessagesVisible > 0). Runbook: eventbridge-dead-letters."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.events_dead_letters.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "eventbridge_failed_invocations" {
  alarm_name        = "${var.name_prefix}-eventbridge-failed-invocations"
  alarm_description = "EventBridge failed to put events to the events stream (FailedInvocations > 0 in 5 minutes; they are retried, then dead-lettered). Runbook: eventbridge-dead-letters."
  namespace         = "AWS/Events"
  metric_name       = "FailedInvocations"
  # rules on the default bus report with RuleName alone, rules on a custom bus with EventBusName too
  dimensions = var.organization_mode ? {
    EventBusName = local.event_bus_name
    RuleName     = aws_cloudwatch_event_rule.cloudtrail.name
  } : { RuleName = aws_cloudwatch_event_rule.cloudtrail.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

# ---- outputs of the job ----------------------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "findings_dead_lettered" {
  count               = var.alerts_to_security_hub ? 1 : 0
  alarm_name          = "${var.name_prefix}-findings-dead-lettered"
  alarm_description   = "Findings were dead-lettered (findingsDeadLettered increased): refused by Security Hub as invalid, past sink.retry.limit, or held with securityhub.on_unavailable=dead_letter; they are in the dead-letters streams of the alert log group. Runbook: sink-dead-letters."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions

  metric_query {
    id          = "m"
    return_data = false
    metric {
      namespace   = "AWS/KinesisAnalytics"
      metric_name = "findingsDeadLettered"
      dimensions  = { Application = local.application_name }
      stat        = "Maximum"
      period      = 300
    }
  }

  metric_query {
    id          = "increase"
    expression  = local.increase
    label       = "findings dead-lettered per 5 minutes"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "log_events_dead_lettered" {
  count               = var.alerts_to_cloudwatch ? 1 : 0
  alarm_name          = "${var.name_prefix}-log-events-dead-lettered"
  alarm_description   = "Alert lines were dead-lettered (logEventsDeadLettered increased): refused by CloudWatch Logs or past sink.retry.limit; they are in the dead-letters streams of the alert log group. Runbook: sink-dead-letters."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions

  metric_query {
    id          = "m"
    return_data = false
    metric {
      namespace   = "AWS/KinesisAnalytics"
      metric_name = "logEventsDeadLettered"
      dimensions  = { Application = local.application_name }
      stat        = "Maximum"
      period      = 300
    }
  }

  metric_query {
    id          = "increase"
    expression  = local.increase
    label       = "alert lines dead-lettered per 5 minutes"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "bundles_rejected" {
  alarm_name          = "${var.name_prefix}-bundles-rejected"
  alarm_description   = "A rule bundle from the control stream was rejected; the previous rules keep running (bundlesRejected increased). Runbook: bundles-rejected."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions

  metric_query {
    id          = "m"
    return_data = false
    metric {
      namespace   = "AWS/KinesisAnalytics"
      metric_name = "bundlesRejected"
      dimensions  = { Application = local.application_name }
      stat        = "Maximum"
      period      = 300
    }
  }

  metric_query {
    id          = "increase"
    expression  = local.increase
    label       = "bundles rejected per 5 minutes"
    return_data = true
  }
}
