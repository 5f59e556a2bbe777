# Persistent homes and named disks: EBS gp3 volumes through the EBS CSI driver (EKS add-on, IRSA), snapshots through
# the CSI snapshot controller (EKS add-on, which also installs the VolumeSnapshot CRDs), and StorageClass gpu-dev-home.
# EBS volumes are zonal: the bot moves a disk by snapshot to the zone of the node a server lands on (docs/storage.md).

data "aws_iam_policy_document" "ebs_csi_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:kube-system:ebs-csi-controller-sa"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ebs_csi" {
  count = var.disks_enabled ? 1 : 0

  name               = "${var.name}-ebs-csi"
  assume_role_policy = data.aws_iam_policy_document.ebs_csi_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  count = var.disks_enabled ? 1 : 0

  role       = aws_iam_role.ebs_csi[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

resource "aws_eks_addon" "ebs_csi" {
  count = var.disks_enabled ? 1 : 0

  cluster_name             = var.cluster_name
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = aws_iam_role.ebs_csi[0].arn
  # The node daemonset must also run on the tainted GPU nodes, where the servers attach homes and disks.
  configuration_values = jsonencode({
    node = {
      tolerateAllTaints = true
    }
  })
  tags = local.tags
}

resource "aws_eks_addon" "snapshot_controller" {
  count = var.disks_enabled ? 1 : 0

  cluster_name = var.cluster_name
  addon_name   = "snapshot-controller"
  tags         = local.tags
}

resource "kubernetes_storage_class_v1" "home" {
  count = var.disks_enabled ? 1 : 0

  metadata {
    name = var.home_storage_class
  }
  storage_provisioner = "ebs.csi.aws.com"
  # The volume is made in the zone of the node its first server lands on; Retain keeps the EBS volume (and the
  # user's data) when a claim is deleted, until an admin removes it.
  volume_binding_mode    = "WaitForFirstConsumer"
  reclaim_policy         = "Retain"
  allow_volume_expansion = true
  parameters = {
    type      = "gp3"
    encrypted = "true"
  }

  depends_on = [aws_eks_addon.ebs_csi]
}

# The VolumeSnapshotClass is a custom resource: kubernetes_manifest needs its CRD at plan time, which the
# snapshot-controller add-on above creates only at apply. The chart creates it instead (servers.disks.createSnapshotClass).
