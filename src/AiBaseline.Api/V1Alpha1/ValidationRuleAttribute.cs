namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// A CEL rule the API server checks on the field or type it marks, emitted into the CRD as
/// <c>x-kubernetes-validations</c>. A rule that reads <c>oldSelf</c> is a transition rule: the server checks it on
/// updates only, so <c>self == oldSelf</c> makes the value immutable once created.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class ValidationRuleAttribute(string rule) : Attribute
{
    /// <summary>The CEL expression, such as <c>self == oldSelf</c>.</summary>
    public string Rule { get; } = rule;

    /// <summary>What the server answers when the rule fails.</summary>
    public string? Message { get; init; }
}
