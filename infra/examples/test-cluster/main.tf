# A small test cluster: 2 x g4dn.12xlarge (4 x T4 each), no placement group, no EFA. Cheap enough to try the
# whole path (Slack -> bot -> pod -> SSH) before paying for H100s. Throw-away: tables without deletion protection.

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
  description = "Private subnet for the GPU nodes."
  type        = string
}

variable "efs_subnet_ids" {
  description = "Private subnets for EFS mount targets (one per AZ with GPU nodes)."
  type        = list(string)
}

variable "ssh_client_cidrs" {
  description = "Who may SSH to the servers (NodePorts on the GPU nodes): your VPN's ranges."
  type        = list(string)
}

module "gpu_dev" {
  source = "../../modules/gpu-dev"

  name         = "gpu-dev-test"
  cluster_name = var.cluster_name

  gpu_node_groups = {
    t4 = {
      gpu_type       = "t4"
      aliases        = ["g4dn"]
      instance_type  = "g4dn.12xlarge"
      gpus_per_node  = 4
      subnet_id      = var.subnet_id
      desired_size   = 2
      min_size       = 0
      max_size       = 2
      efa_interfaces = 0
      disk_size_gb   = 200
    }
  }

  reservations_table_name = "gpu-dev-test-reservations"
  links_table_name        = "gpu-dev-test-links"
  deletion_protection     = false
  efs_subnet_ids          = var.efs_subnet_ids
  ssh_client_cidrs        = var.ssh_client_cidrs

  tags = { environment = "test" }
}

output "bot_role_arn" {
  value = module.gpu_dev.bot_role_arn
}

output "helm_values" {
  value = module.gpu_dev.helm_values
}
