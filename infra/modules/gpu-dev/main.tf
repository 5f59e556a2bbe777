data "aws_partition" "current" {}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

data "aws_iam_openid_connect_provider" "cluster" {
  count = var.oidc_provider_arn == null ? 1 : 0
  url   = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
}

locals {
  partition         = data.aws_partition.current.partition
  vpc_id            = data.aws_eks_cluster.this.vpc_config[0].vpc_id
  cluster_sg_id     = data.aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  oidc_provider_arn = coalesce(var.oidc_provider_arn, try(data.aws_iam_openid_connect_provider.cluster[0].arn, null))
  oidc_issuer       = replace(data.aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")

  # EFA interfaces an instance type takes at most (one per network card).
  max_efa_interfaces = {
    "p4d.24xlarge"     = 4
    "p4de.24xlarge"    = 4
    "p5.48xlarge"      = 32
    "p5e.48xlarge"     = 32
    "p5en.48xlarge"    = 16
    "p6-b200.48xlarge" = 8
    "g4dn.8xlarge"     = 1
    "g4dn.12xlarge"    = 1
    "g4dn.16xlarge"    = 1
    "g6.8xlarge"       = 1
    "g6.12xlarge"      = 1
    "g6.16xlarge"      = 1
  }

  node_groups = {
    for key, g in var.gpu_node_groups : key => merge(g, {
      efa_interfaces = coalesce(g.efa_interfaces, lookup(local.max_efa_interfaces, g.instance_type, 0))
    })
  }

  tags = merge({ "app.kubernetes.io/part-of" = "gpu-dev-bot" }, var.tags)

  # nodeadm (AL2023) merges this into containerd's base runtime spec, so every container starts with these limits.
  # The list replaces the AMI's, hence RLIMIT_NOFILE as the AMI sets it. Locked memory: 2^53 bytes (8 PiB, more than any
  # node has, so in effect unlimited) rather than 2^64-1, which would not survive nodeadm's JSON merge as a float.
  node_user_data = <<-EOT
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="GPUDEV"

    --GPUDEV
    Content-Type: application/node.eks.aws

    apiVersion: node.eks.aws/v1alpha1
    kind: NodeConfig
    spec:
      containerd:
        baseRuntimeSpec:
          process:
            rlimits:
              - {type: RLIMIT_NOFILE, soft: 65536, hard: 1048576}
              - {type: RLIMIT_MEMLOCK, soft: 9007199254740992, hard: 9007199254740992}

    --GPUDEV--
  EOT
}
