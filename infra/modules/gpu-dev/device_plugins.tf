# The AL2023 NVIDIA AMI carries the driver and the container toolkit; the device plugins advertise
# nvidia.com/gpu and vpc.amazonaws.com/efa to the scheduler. Both tolerate the GPU taint.

locals {
  gpu_toleration = {
    key      = var.gpu_taint.key
    operator = "Exists"
    effect   = "NoSchedule"
  }
}

resource "helm_release" "nvidia_device_plugin" {
  count = var.install_device_plugins ? 1 : 0

  name       = "nvidia-device-plugin"
  repository = "https://nvidia.github.io/k8s-device-plugin"
  chart      = "nvidia-device-plugin"
  version    = var.nvidia_device_plugin_version
  namespace  = "kube-system"

  values = [yamlencode({
    # The chart's default affinity selects nodes labelled nvidia.com/gpu.present=true (set on every GPU node group).
    tolerations       = [local.gpu_toleration, { key = "CriticalAddonsOnly", operator = "Exists" }]
    priorityClassName = "system-node-critical"
  })]

  depends_on = [aws_eks_node_group.gpu]
}

resource "helm_release" "efa_device_plugin" {
  count = var.install_device_plugins && anytrue([for g in values(local.node_groups) : g.efa_interfaces > 0]) ? 1 : 0

  name       = "aws-efa-k8s-device-plugin"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-efa-k8s-device-plugin"
  version    = var.efa_device_plugin_version
  namespace  = "kube-system"

  values = [yamlencode({
    nodeSelector = { "vpc.amazonaws.com/efa.present" = "true" }
    tolerations  = [local.gpu_toleration]
  })]

  depends_on = [aws_eks_node_group.gpu]
}
