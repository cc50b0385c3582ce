using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;
using AiBaseline.Engine.Controls;

namespace AiBaseline.Engine.Tests;

/// <summary>The mapping from evidence types to provisions (evidence-coverage.yaml) is complete, explained and honest.</summary>
public sealed class EvidenceCoverageTests
{
    [Fact]
    public void Every_provision_of_the_catalog_has_exactly_one_row()
    {
        Assert.Equal(
            ProvisionCatalog.Provisions.Select(p => p.Id).Order(StringComparer.Ordinal),
            EvidenceCoverage.All.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_row_says_why()
    {
        Assert.All(EvidenceCoverage.All.Values, row => Assert.False(string.IsNullOrWhiteSpace(row.Why), $"{row.Id} has no rationale"));
    }

    [Fact]
    public void A_document_row_names_evidence_types_and_no_other_row_does()
    {
        Assert.All(EvidenceCoverage.All.Values, row => Assert.True(
            (row.Kind == CoverageKind.Document) == (row.Types.Length > 0),
            $"{row.Id} is {row.Kind} with types [{string.Join(", ", row.Types)}]"));
    }

    [Fact]
    public void The_control_rows_are_exactly_the_provisions_controls_decide()
    {
        // The rows marked "control" document what ControlSet does; the roll-up lets the controls decide them.
        var decided = ControlSet.All.SelectMany(c => c.Provisions).Distinct().Order(StringComparer.Ordinal);
        var rows = EvidenceCoverage.All.Values.Where(r => r.Kind == CoverageKind.Control).Select(r => r.Id).Order(StringComparer.Ordinal);

        Assert.Equal(decided, rows);
    }

    [Fact]
    public void No_provision_the_catalog_calls_automated_is_met_by_a_document()
    {
        // automated in provisions.yaml: decidable from cluster state or signed artifacts.
        Assert.All(
            ProvisionCatalog.Provisions.Where(p => p.Automation == Automation.Automated),
            p => Assert.True(EvidenceCoverage.For(p.Id).Kind != CoverageKind.Document, $"{p.Id} ({p.Summary}) is met by a document"));
    }

    [Theory]
    [InlineData("5.4.2-1", "activity logging is shown by the cluster's logging, never by a document")]
    [InlineData("5.2.2-2", "rate limits against model extraction live on the gateway, never in a document")]
    [InlineData("5.4.2-2", "log analysis is shown by alert rules")]
    [InlineData("5.2.1-1", "the asset inventory is read from the cluster")]
    [InlineData("5.2.2-1", "access control is decided by controls")]
    [InlineData("5.2.1-2", "asset tracking by digest is decided by ImageProvenance and ModelIntegrity")]
    public void No_document_meets_a_provision_the_cluster_shows(string id, string why)
    {
        Assert.True(ProvisionCatalog.TryGet(id, out var provision));
        foreach (var type in Enum.GetValues<EvidenceType>())
        {
            var byType = new EvidenceReference { Type = type, Uri = "x", Date = new DateOnly(2026, 1, 1) };
            var byName = new EvidenceReference { Type = type, Uri = "x", Date = new DateOnly(2026, 1, 1), Provisions = [id] };

            Assert.False(EvidenceCoverage.Covers(byType, provision), $"{type} meets {id}: {why}");
            Assert.False(EvidenceCoverage.Covers(byName, provision), $"{type} naming {id} meets it: {why}");
            Assert.Equal([id], EvidenceCoverage.IgnoredClaims(byName));
        }
    }

    [Theory]
    [InlineData(EvidenceType.ThreatModel, "5.1.3-1", true, "the threat model is the document itself")]
    [InlineData(EvidenceType.DisclosurePolicy, "5.2.2-4", true, "the disclosure policy is the document itself")]
    [InlineData(EvidenceType.IncidentPlan, "5.2.2-5", true, "incident plans are documents")]
    [InlineData(EvidenceType.UserGuidance, "5.3.1-2", true, "user guidance is user documentation")]
    [InlineData(EvidenceType.UserGuidance, "5.4.2-1", false, "user guidance says nothing about whether activity is logged")]
    [InlineData(EvidenceType.UserGuidance, "5.2.2-2", false, "user guidance does not rate-limit an API")]
    [InlineData(EvidenceType.MonitoringPlan, "5.4.2-3", false, "a monitoring plan does not show that model servers are scraped")]
    [InlineData(EvidenceType.ModelCard, "5.2.2-4", false, "a model card is not a disclosure policy")]
    public void A_type_meets_what_its_documents_can_show(EvidenceType type, string id, bool meets, string why)
    {
        Assert.True(ProvisionCatalog.TryGet(id, out var provision));
        var reference = new EvidenceReference { Type = type, Uri = "x", Date = new DateOnly(2026, 1, 1) };

        Assert.True(EvidenceCoverage.Covers(reference, provision) == meets, why);
    }

    [Fact]
    public void Naming_a_provision_a_document_can_show_extends_a_reference_beyond_its_type()
    {
        Assert.True(ProvisionCatalog.TryGet("5.1.1-1", out var training));
        var card = new EvidenceReference { Type = EvidenceType.ModelCard, Uri = "x", Date = new DateOnly(2026, 1, 1), Provisions = ["5.1.1-1", "5.4.2-1", "5.1.1-1"] };

        Assert.True(EvidenceCoverage.Covers(card, training));
        Assert.Equal(["5.4.2-1"], EvidenceCoverage.IgnoredClaims(card));
    }

    [Fact]
    public void Every_document_type_but_the_monitoring_plan_meets_some_provision()
    {
        // Principle 12 (logging and monitoring) is shown by the cluster: a MonitoringPlan can be required, but meets nothing alone.
        var meeting = EvidenceCoverage.All.Values.SelectMany(r => r.Types).Distinct().Order();

        Assert.Equal(Enum.GetValues<EvidenceType>().Where(t => t != EvidenceType.MonitoringPlan).Order(), meeting);
    }
}
