using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller.Api;

namespace AiBaseline.Operator;

/// <summary>Where the resources the operator reads and writes live in the Kubernetes API.</summary>
internal static class OperatorResources
{
    public static readonly ResourceType AIModelDeployments = new(ApiGroup.Group, ApiGroup.Version, ApiGroup.AIModelDeploymentPlural, Namespaced: true);
    public static readonly ResourceType BaselineExceptions = new(ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineExceptionPlural, Namespaced: true);
    public static readonly ResourceType BaselineProfiles = new(ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, Namespaced: false);
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", Namespaced: true);
    public static readonly ResourceType StatefulSets = new("apps", "v1", "statefulsets", Namespaced: true);
    public static readonly ResourceType DaemonSets = new("apps", "v1", "daemonsets", Namespaced: true);
    public static readonly ResourceType Jobs = new("batch", "v1", "jobs", Namespaced: true);
    public static readonly ResourceType CronJobs = new("batch", "v1", "cronjobs", Namespaced: true);
    public static readonly ResourceType Pods = new("", "v1", "pods", Namespaced: true);
    public static readonly ResourceType CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", Namespaced: false);

    /// <summary>Where a workload kind that comes with a CustomResourceDefinition lives.</summary>
    public static ResourceType Of(Engine.Workloads.WorkloadType type) => new(type.Group, type.Version, type.Plural, Namespaced: true);
    public static readonly ResourceType Ingresses = new("networking.k8s.io", "v1", "ingresses", Namespaced: true);
    public static readonly ResourceType NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", Namespaced: true);
    public static readonly ResourceType CiliumNetworkPolicies = new("cilium.io", "v2", "ciliumnetworkpolicies", Namespaced: true);
    public static readonly ResourceType CiliumClusterwideNetworkPolicies = new("cilium.io", "v2", "ciliumclusterwidenetworkpolicies", Namespaced: false);
    public static readonly ResourceType Secrets = new("", "v1", "secrets", Namespaced: true);
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", Namespaced: true);
    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", Namespaced: true);
    public static readonly ResourceType Services = new("", "v1", "services", Namespaced: true);
    public static readonly ResourceType PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", Namespaced: true);
    public static readonly ResourceType RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", Namespaced: true);
    public static readonly ResourceType ClusterRoleBindings = new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", Namespaced: false);
    public static readonly ResourceType Roles = new("rbac.authorization.k8s.io", "v1", "roles", Namespaced: true);
    public static readonly ResourceType ClusterRoles = new("rbac.authorization.k8s.io", "v1", "clusterroles", Namespaced: false);
}
