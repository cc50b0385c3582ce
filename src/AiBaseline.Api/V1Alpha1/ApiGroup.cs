namespace AiBaseline.Api.V1Alpha1;

/// <summary>Names of the aibaseline.io API group as Kubernetes sees them.</summary>
public static class ApiGroup
{
    public const string Group = "aibaseline.io";
    public const string Version = "v1alpha1";
    public const string GroupVersion = Group + "/" + Version;

    public const string AIModelDeploymentKind = "AIModelDeployment";
    public const string AIModelDeploymentPlural = "aimodeldeployments";
    public const string BaselineProfileKind = "BaselineProfile";
    public const string BaselineProfilePlural = "baselineprofiles";
    public const string BaselineExceptionKind = "BaselineException";
    public const string BaselineExceptionPlural = "baselineexceptions";
    public const string RetirementRecordKind = "RetirementRecord";
    public const string RetirementRecordPlural = "retirementrecords";

    /// <summary>The finalizer that keeps a retiring deployment's record until disposal is proven.</summary>
    public const string RetirementFinalizer = "aibaseline.io/retirement";

    /// <summary>The profile a deployment uses when <c>spec.profile</c> is empty.</summary>
    public const string DefaultProfileName = "default";

    /// <summary>
    /// This group's kinds by <c>apiVersion/kind</c>: the type map <c>KubernetesYaml.LoadAllFromString</c> takes to read
    /// them as typed objects beside the built-in kinds. A new map each call, since the loader takes a mutable one.
    /// </summary>
    public static Dictionary<string, Type> KindTypes() => new(StringComparer.Ordinal)
    {
        [$"{GroupVersion}/{AIModelDeploymentKind}"] = typeof(AIModelDeployment),
        [$"{GroupVersion}/{BaselineProfileKind}"] = typeof(BaselineProfile),
        [$"{GroupVersion}/{BaselineExceptionKind}"] = typeof(BaselineException),
        [$"{GroupVersion}/{RetirementRecordKind}"] = typeof(RetirementRecord),
    };
}
