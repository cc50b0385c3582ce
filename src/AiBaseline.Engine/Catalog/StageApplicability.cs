using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Catalog;

/// <summary>
/// Which phases of EN 304 223 apply at each life-cycle stage. Phases accumulate: a model in Deployment
/// must have met its design and development provisions, and a serving model is also in maintenance.
/// The end-of-life phase applies only once the model is retired.
/// </summary>
public static class StageApplicability
{
    public const string SecureDesign = "Secure Design";
    public const string SecureDevelopment = "Secure Development";
    public const string SecureDeployment = "Secure Deployment";
    public const string SecureMaintenance = "Secure Maintenance";
    public const string SecureEndOfLife = "Secure End of Life";

    /// <summary>True when provisions of <paramref name="phase"/> apply to a model in <paramref name="stage"/>.</summary>
    public static bool Applies(string phase, LifecycleStage stage) => phase switch
    {
        SecureDesign => true,
        SecureDevelopment => stage >= LifecycleStage.Development,
        SecureDeployment or SecureMaintenance => stage >= LifecycleStage.Deployment,
        SecureEndOfLife => stage == LifecycleStage.Retirement,
        _ => false,
    };
}
