# GPU node groups: one launch template and one managed node group per GPU type; multi-node types share a
# cluster placement group so a 2 x 8 reservation gets two nodes on one low-latency network spine.

resource "aws_placement_group" "gpu" {
  for_each = { for key, g in local.node_groups : key => g if g.placement_group }

  name     = "${var.name}-${each.key}"
  strategy = "cluster"
  tags     = local.tags
}

# EFA traffic must be allowed between every interface of the group, in and out.
resource "aws_security_group" "efa" {
  count = anytrue([for g in values(local.node_groups) : g.efa_interfaces > 0]) ? 1 : 0

  name        = "${var.name}-efa"
  description = "EFA: all traffic between the GPU nodes' EFA interfaces"
  vpc_id      = local.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "efa_self" {
  count = length(aws_security_group.efa)

  security_group_id            = aws_security_group.efa[0].id
  referenced_security_group_id = aws_security_group.efa[0].id
  ip_protocol                  = "-1"
  description                  = "EFA between GPU nodes"
}

resource "aws_vpc_security_group_egress_rule" "efa_self" {
  count = length(aws_security_group.efa)

  security_group_id            = aws_security_group.efa[0].id
  referenced_security_group_id = aws_security_group.efa[0].id
  ip_protocol                  = "-1"
  description                  = "EFA between GPU nodes"
}

# SSH to the servers' NodePort Services from the configured client addresses only. On the cluster security group,
# which every node (and its EFA interfaces) carries; one rule per CIDR.
resource "aws_vpc_security_group_ingress_rule" "ssh_node_ports" {
  for_each = toset(var.ssh_client_cidrs)

  security_group_id = local.cluster_sg_id
  cidr_ipv4         = can(regex(":", each.value)) ? null : each.value
  cidr_ipv6         = can(regex(":", each.value)) ? each.value : null
  ip_protocol       = "tcp"
  from_port         = 30000
  to_port           = 32767
  description       = "gpu-dev server NodePorts (SSH) from ${each.value}"
  tags              = local.tags
}

resource "aws_launch_template" "gpu" {
  for_each = local.node_groups

  name_prefix   = "${var.name}-${each.key}-"
  instance_type = each.value.instance_type
  # The node group's EKS-optimised NVIDIA AMI (ami_type) and bootstrap are used: no image_id. EKS merges this user data
  # (a nodeadm NodeConfig, AL2023) into its own: containers get an unlimited locked-memory limit, which EFA (libfabric
  # memory registration) and NCCL need, so server pods need no IPC_LOCK (refused by Pod Security baseline).
  user_data = base64encode(local.node_user_data)

  # IMDSv2 only, one hop: pods (not on the host network) cannot reach instance credentials.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = each.value.disk_size_gb
      volume_type           = "gp3"
      iops                  = 6000
      throughput            = 500
      encrypted             = true
      delete_on_termination = true
    }
  }

  dynamic "placement" {
    for_each = each.value.placement_group ? [1] : []
    content {
      group_name = aws_placement_group.gpu[each.key].name
    }
  }

  dynamic "capacity_reservation_specification" {
    for_each = each.value.capacity_reservation_id == null ? [] : [1]
    content {
      capacity_reservation_target {
        capacity_reservation_id = each.value.capacity_reservation_id
      }
    }
  }

  dynamic "instance_market_options" {
    for_each = each.value.capacity_block ? [1] : []
    content {
      market_type = "capacity-block"
    }
  }

  # With EFA the interfaces are declared here, so the cluster security group must be named here too.
  dynamic "network_interfaces" {
    for_each = range(each.value.efa_interfaces)
    content {
      network_card_index          = network_interfaces.value
      device_index                = network_interfaces.value == 0 ? 0 : 1
      interface_type              = "efa"
      associate_public_ip_address = false
      delete_on_termination       = true
      security_groups             = [local.cluster_sg_id, aws_security_group.efa[0].id]
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { "gpu-dev/gpu-type" = each.value.gpu_type })
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_eks_node_group" "gpu" {
  for_each = local.node_groups

  cluster_name    = var.cluster_name
  node_group_name = "${var.name}-${each.key}"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = [each.value.subnet_id]
  ami_type        = each.value.ami_type
  capacity_type   = each.value.capacity_block ? "CAPACITY_BLOCK" : "ON_DEMAND"

  launch_template {
    id      = aws_launch_template.gpu[each.key].id
    version = aws_launch_template.gpu[each.key].latest_version
  }

  scaling_config {
    desired_size = each.value.desired_size
    min_size     = each.value.min_size
    max_size     = each.value.max_size
  }

  update_config {
    max_unavailable = 1
  }

  labels = merge(
    {
      "gpu-dev/gpu-type"       = each.value.gpu_type
      "nvidia.com/gpu.present" = "true"
    },
    each.value.placement_group ? { (var.placement_group_label) = aws_placement_group.gpu[each.key].name } : {},
    each.value.efa_interfaces > 0 ? { "vpc.amazonaws.com/efa.present" = "true" } : {},
    each.value.labels,
  )

  taint {
    key    = var.gpu_taint.key
    value  = var.gpu_taint.value
    effect = var.gpu_taint.effect
  }

  tags = local.tags

  lifecycle {
    # A cluster autoscaler or an operator may resize; apply must not undo it.
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node, aws_iam_role_policy.node_ecr]
}
