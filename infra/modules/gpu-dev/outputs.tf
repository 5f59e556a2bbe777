output "bot_role_arn" {
  description = "IAM role for the bot's service account: chart value serviceAccount.roleArn."
  value       = aws_iam_role.bot.arn
}

output "reservations_table_name" {
  description = "Chart value config.store.dynamodb.reservations-table."
  value       = aws_dynamodb_table.reservations.name
}

output "links_table_name" {
  description = "Chart value config.store.dynamodb.links-table."
  value       = aws_dynamodb_table.links.name
}

output "node_group_names" {
  description = "Managed node group per key of gpu_node_groups."
  value       = { for key, g in aws_eks_node_group.gpu : key => g.node_group_name }
}

output "placement_groups" {
  description = "Cluster placement group per multi-node GPU type."
  value       = { for key, pg in aws_placement_group.gpu : key => pg.name }
}

output "efs_file_system_id" {
  description = "The shared EFS file system (null when efs_enabled is false)."
  value       = try(aws_efs_file_system.shared[0].id, null)
}

output "helm_values" {
  description = "Values for the gpu-dev-bot chart that follow from this infrastructure: tofu output -raw helm_values > infra-values.yaml"
  value = yamlencode({
    serviceAccount = { roleArn = aws_iam_role.bot.arn }
    servers = {
      sharedVolume = {
        enabled          = var.efs_enabled
        storageClassName = var.efs_storage_class
      }
      disks = {
        enabled          = var.disks_enabled
        storageClassName = var.home_storage_class
      }
    }
    networkPolicy = {
      clientCidrs = length(var.ssh_client_cidrs) > 0 ? var.ssh_client_cidrs : ["0.0.0.0/0"]
    }
    config = {
      catalog = {
        types = [for key, g in local.node_groups : {
          name            = g.gpu_type
          aliases         = g.aliases
          "gpus-per-node" = g.gpus_per_node
          "instance-type" = g.instance_type
          "node-selector" = { "node.kubernetes.io/instance-type" = g.instance_type }
          "multi-node"    = g.placement_group
        }]
      }
      store = {
        kind = "dynamodb"
        dynamodb = {
          region               = split(":", data.aws_eks_cluster.this.arn)[3]
          "reservations-table" = aws_dynamodb_table.reservations.name
          "links-table"        = aws_dynamodb_table.links.name
          "create-tables"      = false
        }
      }
    }
  })
}
