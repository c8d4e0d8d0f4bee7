terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.80+ knows runtime FLINK-1_20 and the event rule state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.
      version = ">= 5.80.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}
