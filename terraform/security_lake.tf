# Amazon Security Lake custom source (security_lake_custom_source = true): registers the source, gives its Glue
# crawler a role, adds the ocsf:s3:// output for the source's location and grants the job what that output calls
# (job/OUTPUTS.md, "Amazon Security Lake"). Security Lake itself must already be enabled in the region.

locals {
  security_lake = var.security_lake_custom_source

  # s3://BUCKET/ext/SOURCE/ (as Security Lake reports it) without the trailing slash
  security_lake_location   = local.security_lake ? trimsuffix(aws_securitylake_custom_log_source.trailguard[0].provider_details[0].location, "/") : ""
  security_lake_prefix     = local.security_lake ? replace(local.security_lake_location, "s3://${var.security_lake_bucket_name}/", "") : ""
  security_lake_bucket_arn = "arn:${local.partition}:s3:::${var.security_lake_bucket_name}"
}

data "aws_iam_policy_document" "security_lake_crawler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "security_lake_crawler" {
  count              = local.security_lake ? 1 : 0
  name               = "${var.name_prefix}-security-lake-crawler"
  assume_role_policy = data.aws_iam_policy_document.security_lake_crawler_assume.json
}

# What Security Lake asks of a custom source's crawler role: the AWSGlueServiceRole managed policy and read access
# to the data lake bucket.
resource "aws_iam_role_policy_attachment" "security_lake_crawler_glue" {
  count      = local.security_lake ? 1 : 0
  role       = aws_iam_role.security_lake_crawler[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSGlueServiceRole"
}

data "aws_iam_policy_document" "security_lake_crawler" {
  statement {
    sid       = "ListTheLakeBucket"
    actions   = ["s3:ListBucket"]
    resources = [local.security_lake_bucket_arn]
  }

  statement {
    sid       = "ReadTheCustomSource"
    actions   = ["s3:GetObject"]
    resources = ["${local.security_lake_bucket_arn}/ext/${var.security_lake_source_name}/*"]
  }
}

resource "aws_iam_role_policy" "security_lake_crawler" {
  count  = local.security_lake ? 1 : 0
  name   = "${var.name_prefix}-security-lake-crawler"
  role   = aws_iam_role.security_lake_crawler[0].id
  policy = data.aws_iam_policy_document.security_lake_crawler.json
}

resource "aws_securitylake_custom_log_source" "trailguard" {
  count          = local.security_lake ? 1 : 0
  source_name    = var.security_lake_source_name
  source_version = "1.0"
  event_classes  = var.security_lake_event_classes

  configuration {
    crawler_configuration {
      role_arn = aws_iam_role.security_lake_crawler[0].arn
    }

    # the log provider role Security Lake creates; the job writes with its own role instead (iam.tf)
    provider_identity {
      external_id = "${var.name_prefix}-security-lake"
      principal   = local.account_id
    }
  }

  lifecycle {
    precondition {
      condition     = var.security_lake_bucket_name != ""
      error_message = "security_lake_custom_source needs security_lake_bucket_name (the aws-security-data-lake-REGION-... bucket)."
    }
  }

  depends_on = [aws_iam_role_policy.security_lake_crawler, aws_iam_role_policy_attachment.security_lake_crawler_glue]
}

# Staged files that were never committed (attempts that failed before their checkpoint completed): expired after
# security_lake_staging_expiration_days. Security Lake manages the bucket's own lifecycle configuration, which this
# resource would replace, so it is opt-in (job/OUTPUTS.md shows the rule to add by hand otherwise).
resource "aws_s3_bucket_lifecycle_configuration" "security_lake_staging" {
  count  = local.security_lake && var.security_lake_manage_staging_lifecycle ? 1 : 0
  bucket = var.security_lake_bucket_name

  rule {
    id     = "trailguard-staging-leftovers"
    status = "Enabled"

    filter {
      prefix = "_trailguard_staging/"
    }

    expiration {
      days = var.security_lake_staging_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}
