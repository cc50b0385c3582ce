namespace AiBaseline.KubeEmulator;

/// <summary>The built-in kinds operators commonly touch, served without a CRD; those the server puts in <c>all</c> say so.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        new("", "v1", "namespaces", "Namespace", Namespaced: false, HasStatus: true, ShortNames: ["ns"]),
        new("", "v1", "pods", "Pod", Namespaced: true, HasStatus: true, ShortNames: ["po"], Categories: ["all"]),
        new("", "v1", "secrets", "Secret", Namespaced: true),
        new("", "v1", "configmaps", "ConfigMap", Namespaced: true, ShortNames: ["cm"]),
        new("", "v1", "services", "Service", Namespaced: true, HasStatus: true, ShortNames: ["svc"], Categories: ["all"]),
        new("", "v1", "serviceaccounts", "ServiceAccount", Namespaced: true, ShortNames: ["sa"]),
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", Namespaced: true, HasStatus: true, ShortNames: ["pvc"]),
        new("", "v1", "events", "Event", Namespaced: true, ShortNames: ["ev"]),
        new("apps", "v1", "deployments", "Deployment", Namespaced: true, HasStatus: true, ShortNames: ["deploy"], Categories: ["all"]),
        new("apps", "v1", "statefulsets", "StatefulSet", Namespaced: true, HasStatus: true, ShortNames: ["sts"], Categories: ["all"]),
        new("apps", "v1", "daemonsets", "DaemonSet", Namespaced: true, HasStatus: true, ShortNames: ["ds"], Categories: ["all"]),
        new("batch", "v1", "jobs", "Job", Namespaced: true, HasStatus: true, Categories: ["all"]),
        new("batch", "v1", "cronjobs", "CronJob", Namespaced: true, HasStatus: true, ShortNames: ["cj"], Categories: ["all"]),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", Namespaced: true, ShortNames: ["netpol"]),
        new("networking.k8s.io", "v1", "ingresses", "Ingress", Namespaced: true, HasStatus: true, ShortNames: ["ing"]),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", Namespaced: true),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", Namespaced: true),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", Namespaced: false),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", Namespaced: false),
        new("coordination.k8s.io", "v1", "leases", "Lease", Namespaced: true),
        new("events.k8s.io", "v1", "events", "Event", Namespaced: true, ShortNames: ["ev"]),
        new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", Namespaced: false),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false, HasStatus: true, ShortNames: ["crd", "crds"]),
    ];
}
