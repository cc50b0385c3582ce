{{/*
The operator's RBAC rules, kept in step with deploy/rbac/role.yaml (the deploy tests compare them).
No wildcard, no write on workloads, no write on Secrets.
*/}}

{{/* Rules on cluster-scoped kinds: always in the ClusterRole. */}}
{{- define "aibaseline.clusterScopedRules" -}}
# Read the BaselineProfiles (cluster-scoped) that deployments name in spec.profile.
- apiGroups: ["aibaseline.io"]
  resources: ["baselineprofiles"]
  verbs: ["get", "list", "watch"]
# Write the cluster's inventory of model servers (counts, the first undeclared ones) to each profile's status.
- apiGroups: ["aibaseline.io"]
  resources: ["baselineprofiles/status"]
  verbs: ["get", "patch", "update"]
# Write the RetirementRecord of a retired model before releasing its finalizer, and find one an earlier pass wrote.
# Create only: no update, patch or delete, for the operator or anyone else (records are immutable; admins prune them).
- apiGroups: ["aibaseline.io"]
  resources: ["retirementrecords"]
  verbs: ["create", "get", "list", "watch"]
# Read Cilium's cluster-wide policies, where Cilium is installed (NetworkIsolation).
- apiGroups: ["cilium.io"]
  resources: ["ciliumclusterwidenetworkpolicies"]
  verbs: ["get", "list", "watch"]
# Read the cluster-wide bindings and roles of the pods' ServiceAccount (LeastPrivilege: wildcards, cluster-admin).
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["clusterroles", "clusterrolebindings"]
  verbs: ["get", "list", "watch"]
# See which serving stacks are installed (metadata only), to watch their kinds while their CRDs exist.
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  verbs: ["list", "watch"]
{{- end }}

{{/* Rules on namespaced kinds: in the ClusterRole, or in a Role per watched namespace. */}}
{{- define "aibaseline.namespacedRules" -}}
# Watch the AIModelDeployments it reconciles, and add or remove its finalizer on them (a patch of metadata only).
- apiGroups: ["aibaseline.io"]
  resources: ["aimodeldeployments"]
  verbs: ["get", "list", "watch", "patch"]
# Write the result of each evaluation to the status subresource.
- apiGroups: ["aibaseline.io"]
  resources: ["aimodeldeployments/status"]
  verbs: ["get", "patch", "update"]
# Remove the retirement finalizer once disposal is proven (needed where OwnerReferencesPermissionEnforcement is on).
- apiGroups: ["aibaseline.io"]
  resources: ["aimodeldeployments/finalizers"]
  verbs: ["patch", "update"]
# Watch the BaselineExceptions that waive controls or provisions for the deployments they select.
- apiGroups: ["aibaseline.io"]
  resources: ["baselineexceptions"]
  verbs: ["get", "list", "watch"]
# Write which deployments each waiver selects and whether it is active (never its spec: waivers are people's decisions).
- apiGroups: ["aibaseline.io"]
  resources: ["baselineexceptions/status"]
  verbs: ["get", "patch", "update"]
# Read the pod templates of the workloads that serve the models.
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets", "daemonsets"]
  verbs: ["get", "list", "watch"]
# Jobs and CronJobs that serve or download models.
- apiGroups: ["batch"]
  resources: ["jobs", "cronjobs"]
  verbs: ["get", "list", "watch"]
# Bare Pods (the pods of other workloads are kept as metadata only).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
{{- if .Values.modelVerification.jobs.enabled }}
# Verification Jobs of signed pvc:// models (modelVerification.jobs.enabled): created in the model's namespace,
# removed when the claim or the signature changes; their Pods' termination messages are read with the pods rule above.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["create", "delete"]
{{- end }}
# The serving stacks' workloads, watched while their CRDs exist: LeaderWorkerSets first.
- apiGroups: ["leaderworkerset.x-k8s.io"]
  resources: ["leaderworkersets"]
  verbs: ["get", "list", "watch"]
# KServe InferenceServices.
- apiGroups: ["serving.kserve.io"]
  resources: ["inferenceservices"]
  verbs: ["get", "list", "watch"]
# KubeRay RayServices and RayClusters.
- apiGroups: ["ray.io"]
  resources: ["rayservices", "rayclusters"]
  verbs: ["get", "list", "watch"]
# Knative Serving Services.
- apiGroups: ["serving.knative.dev"]
  resources: ["services"]
  verbs: ["get", "list", "watch"]
# Read the NetworkPolicies that select the model pods (NetworkIsolation).
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch"]
# Read the CiliumNetworkPolicies that select the model pods, where Cilium is installed (NetworkIsolation).
- apiGroups: ["cilium.io"]
  resources: ["ciliumnetworkpolicies"]
  verbs: ["get", "list", "watch"]
# Read the Ingresses that may expose the model outside the cluster, and their rate limit annotations (ApiRateLimit).
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses"]
  verbs: ["get", "list", "watch"]
# Read the Gateway API routes that may expose the model, where Gateway API is installed (ApiRateLimit).
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes", "grpcroutes"]
  verbs: ["get", "list", "watch"]
# Read Envoy Gateway's rate limits on those routes, where Envoy Gateway is installed (ApiRateLimit).
- apiGroups: ["gateway.envoyproxy.io"]
  resources: ["backendtrafficpolicies"]
  verbs: ["get", "list", "watch"]
# Read Kong's rate-limiting plugins, where Kong is installed (ApiRateLimit).
- apiGroups: ["configuration.konghq.com"]
  resources: ["kongplugins"]
  verbs: ["get", "list", "watch"]
# Read what watches the model (MetricsScraping, PerformanceTracking): the Prometheus Operator's ServiceMonitors,
# PodMonitors and PrometheusRules, only where their CRDs are installed.
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors", "podmonitors", "prometheusrules"]
  verbs: ["get", "list", "watch"]
# Trivy Operator's scans of the model's images (VulnerabilityFixes), only where its CRD is installed.
- apiGroups: ["aquasecurity.github.io"]
  resources: ["vulnerabilityreports"]
  verbs: ["get", "list", "watch"]
# Services, ServiceAccounts, volumes and ConfigMaps the pods use: exposure, token mounting, retirement, credentials in ConfigMaps.
- apiGroups: [""]
  resources: ["services", "serviceaccounts", "persistentvolumeclaims", "configmaps"]
  verbs: ["get", "list", "watch"]
{{- if .Values.registry.readPullSecrets }}
# Secrets: metadata for existence and retirement checks, plus get for --read-pull-secrets, which reads the
# model pods' imagePullSecrets to log in to private registries (registry.readPullSecrets=true).
# RBAC cannot restrict a grant to metadata.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
{{- else }}
# Secrets: the operator requests metadata only, to prove referenced secrets exist and retired ones are gone.
# RBAC cannot restrict a grant to metadata: list and watch allow reading values too. No get.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list", "watch"]
{{- end }}
# Read the namespaced bindings and roles of the pods' ServiceAccount (LeastPrivilege).
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["get", "list", "watch"]
# Record Events on the AIModelDeployments when a result changes.
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
