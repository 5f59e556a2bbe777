{{- define "gpu-dev-bot.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gpu-dev-bot.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "gpu-dev-bot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gpu-dev-bot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The label the leader puts on its own pod (adapters/kubernetes LeaderLabel): the Service selects it. */}}
{{- define "gpu-dev-bot.leaderLabel" -}}
gpu-dev-bot/role: leader
{{- end }}

{{- define "gpu-dev-bot.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "gpu-dev-bot.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "gpu-dev-bot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gpu-dev-bot.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "gpu-dev-bot.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Fails the render on combinations the schema cannot express. */}}
{{- define "gpu-dev-bot.validate" -}}
{{- if eq .Values.servers.namespace .Release.Namespace }}
{{- fail "servers.namespace must differ from the release namespace: the servers' NetworkPolicy keeps them out of the bot's namespace" }}
{{- end }}
{{- $le := index .Values.config "leader-election" | default dict }}
{{- if and (hasKey $le "enabled") (not $le.enabled) }}
{{- fail "config.leader-election.enabled cannot be false: a rollout overlaps the old and the new pod (with replicaCount 1 too), and two schedulers would run at once" }}
{{- end }}
{{- $pdb := .Values.podDisruptionBudget }}
{{- if and $pdb.enabled (hasKey $pdb "minAvailable") }}
{{- $replicas := int .Values.replicaCount }}
{{- $min := $pdb.minAvailable }}
{{- if kindIs "string" $min }}
{{- $min = div (add (mul (trimSuffix "%" $min | int) $replicas) 99) 100 }}
{{- end }}
{{- if ge (int $min) $replicas }}
{{- fail (printf "podDisruptionBudget.minAvailable %v leaves no eviction with replicaCount %d: every drain of a node with a bot pod would block. Leave it out (maxUnavailable: 1 is the default) or raise replicaCount" $pdb.minAvailable $replicas) }}
{{- end }}
{{- end }}
{{- if not (or .Values.secrets.slack.name .Values.secrets.discord.name) }}
{{- fail "secrets.slack.name and secrets.discord.name are both empty: name the Secret of Slack, of Discord or both (docs/deploy.md, docs/discord.md)" }}
{{- end }}
{{- if and .Values.ingress.enabled (ne (.Values.config.slack.mode | default "http") "http") }}
{{- fail "ingress.enabled needs config.slack.mode http (socket mode opens an outbound connection instead)" }}
{{- end }}
{{- end }}

{{/* The application.yaml: config from values, with the keys the chart must own laid over it. */}}
{{- define "gpu-dev-bot.config" -}}
{{- $owned := dict
      "server" (dict "port" 8080 "host" "0.0.0.0")
      "cluster" (dict "kubernetes" (dict "namespace" .Values.servers.namespace))
      "leader-election" (dict
          "enabled" true
          "lease-name" .Values.leaderElection.leaseName
          "lease-duration" .Values.leaderElection.leaseDuration) }}
{{- if not .Values.rbac.manageNetworkPolicies }}
{{- $_ := set (index $owned "cluster" "kubernetes") "peer-policy" false }}
{{- end }}
{{- $shared := .Values.servers.sharedVolume }}
{{- $_ := set (index $owned "cluster" "kubernetes") "efs-claim" (ternary $shared.claimName "" $shared.enabled) }}
{{- $disks := .Values.servers.disks }}
{{- $_ := set (index $owned "cluster" "kubernetes") "home-storage-class" (ternary $disks.storageClassName "" $disks.enabled) }}
{{- if $disks.enabled }}
{{- $_ := set (index $owned "cluster" "kubernetes") "storage" (dict "snapshot-class" $disks.snapshotClassName) }}
{{- end }}
{{- $config := mergeOverwrite (deepCopy .Values.config) $owned }}
{{- toYaml $config }}
{{- end }}
