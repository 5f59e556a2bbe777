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
}
