# One dashboard: throughput, alerts by priority, lag, checkpoint health, dead letters. Counters are running totals
# (alarms.tf), so rates are RATE() of the series (per second; a restart shows as one negative point).

locals {
  kda        = "AWS/KinesisAnalytics"
  app_dims   = ["Application", local.application_name]
  priorities = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"]

  # a rate widget over job counters: RATE of each, named after it
  counter_rates = {
    for title, names in {
      "Events read and alerts emitted per second" = ["eventsRead", "alertsEmitted", "duplicatesDropped"]
      "Alerts per second by priority"             = [for p in local.priorities : "alerts${p}"]
      "Dead letters per second by kind"           = ["deadLetters", "lateSignals", "staleSignals", "findingsDeadLettered", "logEventsDeadLettered"]
      "Outputs per second"                        = ["findingsDelivered", "findingsRetried", "logEventsDelivered", "logEventsRetried"]
      "Rule bundles (running totals)"             = ["bundlesAccepted", "bundlesRejected"]
      "S3 log files and notifications per second" = ["s3FilesRead", "s3FilesDeadLettered", "s3FilesSkippedDigest", "s3FilesSkippedNotCloudTrail", "s3FilesSkippedFiltered", "s3NotificationsSkipped", "s3NotificationsUnrecognised", "s3MessagesDeleted"]
      } : title => concat(
      [for i, n in names : [local.kda, n, local.app_dims[0], local.app_dims[1], { id = "m${i}", stat = "Maximum", visible = false }]],
      [for i, n in names : [{ id = "r${i}", expression = strcontains(title, "running totals") ? "m${i}" : "RATE(m${i})", label = n }]],
    )
  }
}

resource "aws_cloudwatch_dashboard" "trailguard" {
  dashboard_name = var.name_prefix
  dashboard_body = jsonencode({
    widgets = concat(
      [for i, title in keys(local.counter_rates) : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = floor(i / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = title
          region  = var.region
          period  = 60
          view    = "timeSeries"
          metrics = local.counter_rates[title]
        }
      }],
      [
        {
          type = "metric", x = 12, y = 12, width = 12, height = 6
          properties = {
            title  = "Lag: events stream iterator age and millisBehindLatest (ms)"
            region = var.region
            period = 60
            metrics = [
              ["AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "StreamName", aws_kinesis_stream.events.name, { stat = "Maximum" }],
              [{ id = "behind", expression = "SEARCH('{AWS/KinesisAnalytics} MetricName=\"millisBehindLatest\" Application=\"${local.application_name}\"', 'Maximum', 60)" }],
            ]
          }
        },
        {
          type = "metric", x = 0, y = 18, width = 12, height = 6
          properties = {
            title  = "Checkpoints and restarts"
            region = var.region
            period = 60
            metrics = [
              [local.kda, "lastCheckpointDuration", local.app_dims[0], local.app_dims[1], { stat = "Maximum" }],
              [local.kda, "lastCheckpointSize", local.app_dims[0], local.app_dims[1], { stat = "Maximum", yAxis = "right" }],
              [local.kda, "numberOfFailedCheckpoints", local.app_dims[0], local.app_dims[1], { stat = "Maximum", yAxis = "right" }],
              [local.kda, "fullRestarts", local.app_dims[0], local.app_dims[1], { stat = "Maximum", yAxis = "right" }],
              [local.kda, "downtime", local.app_dims[0], local.app_dims[1], { stat = "Maximum" }],
            ]
          }
        },
        {
          type = "metric", x = 12, y = 18, width = 12, height = 6
          properties = {
            title  = "Resources, backpressure and EventBridge dead letters"
            region = var.region
            period = 60
            metrics = [
              [local.kda, "cpuUtilization", local.app_dims[0], local.app_dims[1], { stat = "Maximum" }],
              [local.kda, "heapMemoryUtilization", local.app_dims[0], local.app_dims[1], { stat = "Maximum" }],
              [{ id = "bp", expression = "SEARCH('{AWS/KinesisAnalytics,Application,TaskName} MetricName=\"backPressuredTimeMsPerSecond\" Application=\"${local.application_name}\"', 'Maximum', 60)", yAxis = "right" }],
              ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.events_dead_letters.name, { stat = "Maximum", yAxis = "right" }],
            ]
          }
        },
        {
          type = "metric", x = 0, y = 24, width = 24, height = 6
          properties = {
            title  = "Output outages: failed attempts (running totals), held and pending entries, failing for (ms)"
            region = var.region
            period = 60
            metrics = [
              for n in ["findingsFailedAttempts", "logEventsFailedAttempts", "findingsHeld", "logEventsHeld", "findingsPending", "logEventsPending", "findingsFailingForMs", "logEventsFailingForMs"] :
              [local.kda, n, local.app_dims[0], local.app_dims[1], { stat = "Maximum", yAxis = strcontains(n, "FailingForMs") ? "right" : "left" }]
            ]
          }
        },
      ],
    )
  })
}
