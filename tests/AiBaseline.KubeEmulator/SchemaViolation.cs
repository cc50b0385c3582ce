namespace AiBaseline.KubeEmulator;

/// <summary>One place where a value breaks its OpenAPI v3 schema, worded as the Kubernetes API server words it.</summary>
/// <param name="Path">Dotted field path, for example <c>spec.stage</c> or <c>spec.items[0].name</c>.</param>
/// <param name="Message">The server's message without the path, for example <c>Required value</c>.</param>
/// <param name="Reason">The metav1 cause type, for example <c>FieldValueRequired</c>.</param>
public sealed record SchemaViolation(string Path, string Message, string Reason = "FieldValueInvalid")
{
    /// <summary>The line a user reads: <c>path: message</c>.</summary>
    public override string ToString() => $"{Path}: {Message}";
}
