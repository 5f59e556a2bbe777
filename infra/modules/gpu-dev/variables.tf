variable "name" {
  description = "Prefix of every resource name (node groups, tables, roles, file system)."
  type        = string
  default     = "gpu-dev"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "cluster_name" {
  description = "The existing EKS cluster the GPU node groups join."
  type        = string
}

variable "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster (for IRSA). Null: looked up from the cluster's issuer URL."
  type        = string
  default     = null
}

variable "gpu_node_groups" {
  description = <<-EOT
    One managed node group per GPU type, keyed by a short name (it becomes part of the node group name).
    gpu_type and aliases must match the bot's catalog (config catalog.types): nodes are labelled
    gpu-dev/gpu-type=<gpu_type>, and the kubelet labels node.kubernetes.io/instance-type=<instance_type>, which is
    the catalog's default node selector. Every GPU node carries the taint gpu_taint.
      instance_type           EC2 type, e.g. p5.48xlarge (h100), g4dn.12xlarge (t4)
      gpus_per_node           GPUs on one node (8 for p5, 4 for g4dn.12xlarge)
      subnet_id               one subnet: a cluster placement group lives in one availability zone
      placement_group         put the nodes in a cluster placement group (multi-node reservations)
      efa_interfaces          EFA interfaces per node; null = the instance type's maximum (p5.48xlarge: 32), 0 = none
      capacity_reservation_id an On-Demand Capacity Reservation or Capacity Block (cr-...) to launch into
      capacity_block          true when capacity_reservation_id is a Capacity Block for ML
      disk_size_gb            root volume (container images of CUDA stacks are large)
      ami_type                EKS-optimised AMI with the NVIDIA driver
  EOT
  type = map(object({
    gpu_type                = string
    aliases                 = optional(list(string), [])
    instance_type           = string
    gpus_per_node           = number
    subnet_id               = string
    desired_size            = number
    min_size                = optional(number, 0)
    max_size                = number
    placement_group         = optional(bool, false)
    efa_interfaces          = optional(number)
    capacity_reservation_id = optional(string)
    capacity_block          = optional(bool, false)
    disk_size_gb            = optional(number, 500)
    ami_type                = optional(string, "AL2023_x86_64_NVIDIA")
    labels                  = optional(map(string), {})
  }))

  validation {
    condition     = alltrue([for g in values(var.gpu_node_groups) : can(regex("^[a-z0-9]{1,16}$", g.gpu_type))])
    error_message = "gpu_type must be a catalog name: 1-16 lower-case letters or digits (h100, t4, ...)."
  }
  validation {
    condition     = length(distinct([for g in values(var.gpu_node_groups) : g.gpu_type])) == length(var.gpu_node_groups)
    error_message = "One node group per gpu_type: the bot's catalog has one entry per type."
  }
  validation {
    condition     = alltrue([for g in values(var.gpu_node_groups) : g.min_size <= g.desired_size && g.desired_size <= g.max_size])
    error_message = "Each node group needs min_size <= desired_size <= max_size."
  }
  validation {
    condition     = alltrue([for g in values(var.gpu_node_groups) : !g.capacity_block || g.capacity_reservation_id != null])
    error_message = "capacity_block needs capacity_reservation_id."
  }
  validation {
    condition     = alltrue([for g in values(var.gpu_node_groups) : startswith(g.ami_type, "AL2023_")])
    error_message = "ami_type must be an AL2023 AMI: the servers' locked-memory limit (EFA, no IPC_LOCK under Pod Security baseline) comes from a nodeadm NodeConfig, which only AL2023 reads."
  }
}

variable "gpu_taint" {
  description = "Taint on every GPU node so only pods that tolerate it (the bot's servers, device plugins) land there."
  type = object({
    key    = string
    value  = string
    effect = string
  })
  default = {
    key    = "nvidia.com/gpu"
    value  = "true"
    effect = "NO_SCHEDULE"
  }
}

variable "placement_group_label" {
  description = "Node label carrying the placement group name (the Kubernetes adapter's placement-group label)."
  type        = string
  default     = "gpu-dev/placement-group"
}

variable "install_device_plugins" {
  description = "Install the NVIDIA and EFA device plugins as Helm releases (false when the GPU Operator is already there)."
  type        = bool
  default     = true
}

variable "nvidia_device_plugin_version" {
  description = "Chart version of nvidia-device-plugin (https://nvidia.github.io/k8s-device-plugin)."
  type        = string
  default     = "0.17.1"
}

variable "efa_device_plugin_version" {
  description = "Chart version of aws-efa-k8s-device-plugin (https://aws.github.io/eks-charts)."
  type        = string
  default     = "v0.5.7"
}

variable "reservations_table_name" {
  description = "DynamoDB table of reservations (bot config store.dynamodb.reservations-table)."
  type        = string
  default     = "gpu-dev-reservations"
}

variable "links_table_name" {
  description = "DynamoDB table of Slack user to GitHub login links (bot config store.dynamodb.links-table)."
  type        = string
  default     = "gpu-dev-links"
}

variable "ttl_attribute" {
  description = "Attribute the links table expires idempotency keys by (the DynamoDB adapter writes expiresAt)."
  type        = string
  default     = "expiresAt"
}

variable "deletion_protection" {
  description = "Refuse to delete the DynamoDB tables and keep them on destroy errors. Turn off only for throw-away clusters."
  type        = bool
  default     = true
}

variable "bot_namespace" {
  description = "Namespace the Helm chart is installed in (the IRSA trust names its service account)."
  type        = string
  default     = "gpu-dev"
}

variable "bot_service_account" {
  description = "Service account of the bot (the chart's default is the release's full name: gpu-dev-bot)."
  type        = string
  default     = "gpu-dev-bot"
}

variable "efs_enabled" {
  description = "Create an EFS file system, its mount targets, the EFS CSI driver add-on and StorageClass efs-sc (for /shared and homes)."
  type        = bool
  default     = true
}

variable "efs_subnet_ids" {
  description = "Subnets for EFS mount targets: one per availability zone that has GPU nodes."
  type        = list(string)
  default     = []
}

variable "efs_storage_class" {
  description = "Name of the StorageClass for EFS access points (chart servers.sharedVolume.storageClassName)."
  type        = string
  default     = "efs-sc"
}

variable "disks_enabled" {
  description = "Install the EBS CSI driver and the CSI snapshot controller (EKS add-ons) and create the StorageClass of users' homes and named disks."
  type        = bool
  default     = true
}

variable "home_storage_class" {
  description = "Name of the EBS gp3 StorageClass of homes and named disks (chart servers.disks.storageClassName)."
  type        = string
  default     = "gpu-dev-home"
}

variable "ssh_client_cidrs" {
  description = <<-EOT
    Addresses allowed to reach the servers' NodePorts (TCP 30000-32767) on the GPU nodes: SSH with the default
    service-type NodePort. Keep to your VPN's ranges; the same list as the chart's networkPolicy.clientCidrs.
    Empty: no rule (LoadBalancer Services, or a rule made elsewhere).
  EOT
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.ssh_client_cidrs : can(cidrhost(c, 0))])
    error_message = "ssh_client_cidrs: CIDR blocks, e.g. 203.0.113.0/24."
  }
}

variable "tags" {
  description = "Tags on every AWS resource."
  type        = map(string)
  default     = {}
}

variable "node_ecr_repositories" {
  description = <<-EOT
    ECR repositories of this account the GPU nodes may pull server images from: the private part of the bot's
    cluster.kubernetes.images allow-list. A name (ml/dev) or a name pattern (ml/* for the prefix
    <account>.dkr.ecr.<region>.amazonaws.com/ml/). Empty: servers run no private ECR image of this account.
  EOT
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.node_ecr_repositories : can(regex("^[a-z0-9][a-z0-9._/-]*(/\\*)?$", r))])
    error_message = "node_ecr_repositories: repository names or name/* patterns (a slash before the star, so ml/* never covers ml-evil), never all repositories."
  }
}

variable "eks_registry_accounts" {
  description = "Accounts of the Amazon EKS image registries nodes pull add-ons from (602401143452 in most regions; see the EKS documentation's \"Amazon container image registries\" for the others)."
  type        = list(string)
  default     = ["602401143452"]
}
