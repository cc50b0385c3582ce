using AiBaseline.Engine.Catalog;
using AiBaseline.Engine.Controls;

namespace AiBaseline.Engine.Tests;

public sealed class ProvisionCatalogTests
{
    [Fact]
    public void Catalog_holds_all_72_provisions_49_shall_and_23_should()
    {
        Assert.Equal(72, ProvisionCatalog.Provisions.Length);
        Assert.Equal(49, ProvisionCatalog.Provisions.Count(p => p.Shall));
        Assert.Equal(23, ProvisionCatalog.Provisions.Count(p => !p.Shall));
        Assert.Equal(13, ProvisionCatalog.Principles.Length);
        Assert.Equal(72, ProvisionCatalog.Provisions.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void The_ids_the_API_accepts_are_exactly_the_catalog_in_order()
    {
        // spec.evidence[].provisions is an enum of Api.V1Alpha1.ProvisionIds in the CRD: it must not drift from the catalog.
        Assert.Equal(ProvisionCatalog.Provisions.Select(p => p.Id), Api.V1Alpha1.BaselineNames.ProvisionIds);
    }

    [Fact]
    public void Every_provision_carries_its_principle_phase_and_stage()
    {
        Assert.All(ProvisionCatalog.Provisions, p =>
        {
            Assert.InRange(p.Principle, 1, 13);
            Assert.False(string.IsNullOrWhiteSpace(p.Summary));
            Assert.Contains(p.Phase, ProvisionCatalog.Principles.Select(x => x.Phase));
            Assert.False(string.IsNullOrWhiteSpace(p.Iso22989Stage));
        });
        Assert.True(ProvisionCatalog.TryGet("5.5.1-2", out var disposal));
        Assert.Equal("Retirement", disposal.Iso22989Stage);
        Assert.Equal(13, disposal.Principle);
    }

    [Fact]
    public void Every_provision_a_control_names_exists_in_the_catalog()
    {
        Assert.NotEmpty(ControlSet.All);
        Assert.All(ControlSet.All.SelectMany(c => c.Provisions.Select(p => (c.Name, p))), pair =>
            Assert.True(ProvisionCatalog.TryGet(pair.p, out _), $"{pair.Name} names unknown provision {pair.p}"));
    }

    [Fact]
    public void Every_parent_a_provision_names_exists()
    {
        Assert.All(ProvisionCatalog.Provisions.Where(p => p.Parent is not null), p =>
            Assert.True(ProvisionCatalog.TryGet(p.Parent!, out _), $"{p.Id} names unknown parent {p.Parent}"));
    }
}
