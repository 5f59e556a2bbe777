# EFS for /shared (one ReadWriteMany claim the chart creates) and users' homes, through the EFS CSI driver
# (EKS add-on, IRSA) and a StorageClass that gives each claim its own access point.

resource "aws_efs_file_system" "shared" {
  count = var.efs_enabled ? 1 : 0

  creation_token   = "${var.name}-shared"
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }

  tags = merge(local.tags, { Name = "${var.name}-shared" })
}

resource "aws_security_group" "efs" {
  count = var.efs_enabled ? 1 : 0

  name        = "${var.name}-efs"
  description = "NFS from the cluster's nodes to the gpu-dev file system"
  vpc_id      = local.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "efs_nfs" {
  count = var.efs_enabled ? 1 : 0

  security_group_id            = aws_security_group.efs[0].id
  referenced_security_group_id = local.cluster_sg_id
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
  description                  = "NFS from EKS nodes"
}

resource "aws_efs_mount_target" "shared" {
  for_each = var.efs_enabled ? toset(var.efs_subnet_ids) : toset([])

  file_system_id  = aws_efs_file_system.shared[0].id
  subnet_id       = each.value
  security_groups = [aws_security_group.efs[0].id]
}

data "aws_iam_policy_document" "efs_csi_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:kube-system:efs-csi-controller-sa"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "efs_csi" {
  count = var.efs_enabled ? 1 : 0

  name               = "${var.name}-efs-csi"
  assume_role_policy = data.aws_iam_policy_document.efs_csi_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "efs_csi" {
  count = var.efs_enabled ? 1 : 0

  role       = aws_iam_role.efs_csi[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"
}

resource "aws_eks_addon" "efs_csi" {
  count = var.efs_enabled ? 1 : 0

  cluster_name             = var.cluster_name
  addon_name               = "aws-efs-csi-driver"
  service_account_role_arn = aws_iam_role.efs_csi[0].arn
  # The node daemonset must also run on the tainted GPU nodes, where the servers mount /shared.
  configuration_values = jsonencode({
    node = {
      tolerations = [{ operator = "Exists" }]
    }
  })
  tags = local.tags

  depends_on = [aws_efs_mount_target.shared]
}

resource "kubernetes_storage_class_v1" "efs" {
  count = var.efs_enabled ? 1 : 0

  metadata {
    name = var.efs_storage_class
  }
  storage_provisioner = "efs.csi.aws.com"
  reclaim_policy      = "Retain"
  parameters = {
    provisioningMode = "efs-ap"
    fileSystemId     = aws_efs_file_system.shared[0].id
    directoryPerms   = "0770"
    basePath         = "/gpu-dev"
  }

  depends_on = [aws_eks_addon.efs_csi]
}
