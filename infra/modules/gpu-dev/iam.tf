# --- GPU nodes ---------------------------------------------------------------------------------------------

resource "aws_iam_role" "node" {
  name = "${var.name}-gpu-node"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonSSMManagedInstanceCore",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

# Image pulls: not AmazonEC2ContainerRegistryReadOnly (every repository of the account), only EKS's own images
# (VPC CNI, kube-proxy, pause, EFA plugin, CSI drivers) and the repositories the bot's image allow-list names.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "node_ecr" {
  statement {
    sid       = "Login"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PullAllowedImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = concat(
      [for account in var.eks_registry_accounts : "arn:${local.partition}:ecr:*:${account}:repository/*"],
      [for repo in var.node_ecr_repositories : "arn:${local.partition}:ecr:*:${data.aws_caller_identity.current.account_id}:repository/${repo}"],
    )
  }
}

resource "aws_iam_role_policy" "node_ecr" {
  name   = "ecr-pull"
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.node_ecr.json
}

# --- The bot (IRSA): its own two tables, items only -----------------------------------------------------------

data "aws_iam_policy_document" "bot_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.bot_namespace}:${var.bot_service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "bot_dynamodb" {
  statement {
    sid = "ReservationItems"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:Query",
      # Users type the first characters of an id; a key condition cannot match a hash-key prefix.
      "dynamodb:Scan",
      "dynamodb:DescribeTable",
    ]
    resources = [aws_dynamodb_table.reservations.arn]
  }

  statement {
    sid       = "ReservationIndexes"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.reservations.arn}/index/*"]
  }

  statement {
    sid = "LinkItems"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DescribeTable",
    ]
    resources = [aws_dynamodb_table.links.arn]
  }
}

resource "aws_iam_role" "bot" {
  name               = "${var.name}-bot"
  description        = "gpu-dev-bot service account ${var.bot_namespace}/${var.bot_service_account}"
  assume_role_policy = data.aws_iam_policy_document.bot_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "bot_dynamodb" {
  name   = "dynamodb"
  role   = aws_iam_role.bot.id
  policy = data.aws_iam_policy_document.bot_dynamodb.json
}
