# Forwards the CloudTrail events of one account's default bus in one region to Trailguard's central bus: use it in
# every member account (organization mode) and in every region other than the central one, with a provider for that
# account and region (docs/ingestion.md shows both). Read-only management events are included on the rule
# (ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS): an EventBridge rule sees them only with that state.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80.0, < 7.0.0"
    }
  }
}

variable "central_bus_arn" {
  description = "The bus to forward to: output central_event_bus_arn of the Trailguard module."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the rule and role names."
  type        = string
  default     = "trailguard"
}

variable "include_read_only_events" {
  description = "Forward read-only management events too (several rules need them)."
  type        = bool
  default     = true
}

data "aws_region" "current" {}

locals {
  # "aws." sources only: PutEvents callers cannot forge them
  pattern = jsonencode({
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

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}

# Cross-account and cross-region bus targets need a role that may put events on the target bus.
resource "aws_iam_role" "forward" {
  name               = "${var.name_prefix}-forward-${data.aws_region.current.name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "forward" {
  statement {
    sid       = "PutOnTheCentralBusOnly"
    actions   = ["events:PutEvents"]
    resources = [var.central_bus_arn]
  }
}

resource "aws_iam_role_policy" "forward" {
  name   = "${var.name_prefix}-forward"
  role   = aws_iam_role.forward.id
  policy = data.aws_iam_policy_document.forward.json
}

resource "aws_cloudwatch_event_rule" "forward" {
  name           = "${var.name_prefix}-forward-cloudtrail"
  description    = "CloudTrail events to the Trailguard central bus"
  event_bus_name = "default"
  event_pattern  = local.pattern
  state          = var.include_read_only_events ? "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" : "ENABLED"
}

resource "aws_cloudwatch_event_target" "forward" {
  rule           = aws_cloudwatch_event_rule.forward.name
  event_bus_name = "default"
  target_id      = "trailguard-central-bus"
  arn            = var.central_bus_arn
  role_arn       = aws_iam_role.forward.arn
}

output "rule_arn" {
  description = "The forwarding rule."
  value       = aws_cloudwatch_event_rule.forward.arn
}
