# Production: 2 x p5.48xlarge (8 x H100 each) in one cluster placement group, all 32 EFA interfaces per node,
# optionally inside an On-Demand Capacity Reservation or a Capacity Block.

variable "region" {
  description = "AWS region of the cluster."
  type        = string
  default     = "us-east-2"
}

variable "cluster_name" {
  description = "The existing EKS cluster."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet (one AZ) for the H100 nodes: the AZ of the capacity reservation, if any."
  type        = string
}

variable "efs_subnet_ids" {
  description = "Private subnets for EFS mount targets (one per AZ with GPU nodes)."
  type        = list(string)
}

variable "capacity_reservation_id" {
  description = "cr-... to launch the H100 nodes into; null for plain On-Demand."
  type        = string
  default     = null
}

variable "capacity_block" {
  description = "true when capacity_reservation_id is a Capacity Block for ML."
  type        = bool
  default     = false
}

variable "ssh_client_cidrs" {
  description = "Who may SSH to the servers (NodePorts on the GPU nodes): your VPN's ranges."
  type        = list(string)
}

module "gpu_dev" {
  source = "../../modules/gpu-dev"

  name         = "gpu-dev"
  cluster_name = var.cluster_name

  gpu_node_groups = {
    h100 = {
      gpu_type                = "h100"
      aliases                 = ["p5"]
      instance_type           = "p5.48xlarge"
      gpus_per_node           = 8
      subnet_id               = var.subnet_id
      desired_size            = 2
      min_size                = 2
      max_size                = 2
      placement_group         = true
      efa_interfaces          = 32
      capacity_reservation_id = var.capacity_reservation_id
      capacity_block          = var.capacity_block
      disk_size_gb            = 1000
    }
  }

  reservations_table_name = "gpu-dev-reservations"
  links_table_name        = "gpu-dev-links"
  deletion_protection     = true
  efs_subnet_ids          = var.efs_subnet_ids
  ssh_client_cidrs        = var.ssh_client_cidrs
  # The private ECR part of the bot's cluster.kubernetes.images (e.g. <account>.dkr.ecr.<region>.amazonaws.com/ml/).
  node_ecr_repositories = ["ml/*"]

  tags = { environment = "production" }
}

output "bot_role_arn" {
  value = module.gpu_dev.bot_role_arn
}

output "helm_values" {
  value = module.gpu_dev.helm_values
}
