using System.Collections.Immutable;

namespace AiBaseline.Engine.Catalog;

/// <summary>How an operator can decide a provision.</summary>
public enum Automation
{
    /// <summary>Decidable from cluster state or signed artifacts.</summary>
    Automated,
    /// <summary>The presence and age of evidence can be checked; a person judges its content.</summary>
    Partial,
    /// <summary>Only a person's attestation fits.</summary>
    Attestation,
}

/// <summary>One provision of EN 304 223, in our own words.</summary>
/// <param name="Id">The standard's id, such as "5.2.3-1".</param>
/// <param name="UkCodeId">The matching provision of the UK Code of Practice for the Cyber Security of AI.</param>
/// <param name="Principle">The principle number, 1 to 13.</param>
/// <param name="Phase">The life-cycle phase, such as "Secure Development".</param>
/// <param name="Iso22989Stage">The ISO/IEC 22989 life-cycle stage of the phase.</param>
/// <param name="Shall">True for "shall", false for "should".</param>
/// <param name="Summary">A one-line paraphrase, not the normative text.</param>
/// <param name="Automation">How an operator can decide it.</param>
/// <param name="Parent">The provision it refines, if any.</param>
public sealed record Provision(
    string Id,
    string UkCodeId,
    int Principle,
    string Phase,
    string Iso22989Stage,
    bool Shall,
    string Summary,
    Automation Automation,
    string? Parent)
{
    /// <summary>Who the provision is addressed to, such as "Developer" or "System Operator".</summary>
    public ImmutableArray<string> Stakeholders { get; init; } = [];
}

/// <summary>One of the thirteen principles.</summary>
public sealed record Principle(int Number, string Clause, string Title, string Phase, string Iso22989Stage);

/// <summary>The whole catalog: principles and provisions in the standard's order.</summary>
public sealed record ProvisionCatalogData(ImmutableArray<Principle> Principles, ImmutableArray<Provision> Provisions);
