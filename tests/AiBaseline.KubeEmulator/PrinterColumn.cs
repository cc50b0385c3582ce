namespace AiBaseline.KubeEmulator;

/// <summary>One column of server-side table output, as a CRD version's <c>additionalPrinterColumns</c> declares it.</summary>
/// <param name="Name">Column heading.</param>
/// <param name="Type">OpenAPI type of the cells: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c> or <c>date</c>.</param>
/// <param name="Format">Optional OpenAPI format.</param>
/// <param name="Description">What the column shows.</param>
/// <param name="Priority">0 for the default view; higher values appear only in wide output.</param>
/// <param name="JsonPath">Where the cell value comes from, for example <c>.status.conditions[?(@.type=="Ready")].status</c>.</param>
public sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, string JsonPath);
