# The bot's state, exactly as adapters/aws writes it (docs/storage.md has the item layout; keep the two in step):
#   reservations: id (S, hash key); kept as history, never expired
#     owner-index:     owner + ownerSort ("<requestedAt>#<id>"), a user's reservations newest first
#     live-index:      sparse on live ("1" while QUEUED/PROVISIONING/ACTIVE), keys only: the restart rebuild without a scan
#     id-prefix-index: idHead (first character of id) + id, lookups by a unique id prefix
#   links: pk (S, hash key): "user#<chat user id>" -> GitHub login, and "claim#<key>" idempotency keys that expire
#          through the TTL attribute var.ttl_attribute
# Both: on demand, point-in-time recovery, encrypted.

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
    name = "ownerSort"
    type = "S"
  }
  attribute {
    name = "live"
    type = "S"
  }
  attribute {
    name = "idHead"
    type = "S"
  }

  global_secondary_index {
    name            = "owner-index"
    hash_key        = "owner"
    range_key       = "ownerSort"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "live-index"
    hash_key        = "live"
    range_key       = "id"
    projection_type = "KEYS_ONLY"
  }

  global_secondary_index {
    name            = "id-prefix-index"
    hash_key        = "idHead"
    range_key       = "id"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  tags = local.tags
}

resource "aws_dynamodb_table" "links" {
  name                        = var.links_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "pk"
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
