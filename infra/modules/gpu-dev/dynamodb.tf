# The bot's state. Item layout (the DynamoDB adapter writes it; keep the two in step):
#   reservations: id (S, hash key), owner (S, Slack user id), requestedAt (S, ISO-8601 UTC instant),
#                 live (S, present only while QUEUED/PROVISIONING/ACTIVE, removed when ENDED), version (N), ...
#     owner-index: owner + requestedAt, a user's reservations newest first
#     live-index:  sparse on live, every unfinished reservation without a scan (the restart rebuild)
#   links: user (S, hash key), the Slack user id -> GitHub login
# Both: on demand, point-in-time recovery, encrypted, TTL on var.ttl_attribute (idempotency keys only).

resource "aws_dynamodb_table" "reservations" {
  name                        = var.reservations_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "owner"
    type = "S"
  }
  attribute {
    name = "requestedAt"
    type = "S"
  }
  attribute {
    name = "live"
    type = "S"
  }

  global_secondary_index {
    name            = "owner-index"
    hash_key        = "owner"
    range_key       = "requestedAt"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "live-index"
    hash_key        = "live"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  ttl {
    attribute_name = var.ttl_attribute
    enabled        = true
  }

  tags = local.tags
}

resource "aws_dynamodb_table" "links" {
  name                        = var.links_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "user"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "user"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  ttl {
    attribute_name = var.ttl_attribute
    enabled        = true
  }

  tags = local.tags
}
