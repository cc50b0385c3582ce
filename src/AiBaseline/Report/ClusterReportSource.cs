using System.Text.Json;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Autorest;

namespace AiBaseline.Report;

/// <summary>
/// The deployments of a report made from a cluster: the AIModelDeployments with the status the operator wrote,
/// their BaselineProfiles (for the digest of what they were judged against), the BaselineExceptions a waived
/// provision names, and the RetirementRecords of deployments already retired and gone. Nothing is judged again: the report shows what
/// the cluster shows.
/// </summary>
public sealed class ClusterReportSource(IKubernetes client)
{
    /// <summary>Reads everything the report needs; throws <see cref="ClusterReadException"/> naming what could not be read.</summary>
    public async Task<(List<JudgedDeployment> Deployments, List<BaselineException> Waivers, List<RetirementRecordReport> Records)> LoadAsync(
        IReadOnlyList<string> namespaces, string? selector, CancellationToken cancellationToken)
    {
        var deployments = new List<AIModelDeployment>();
        var waivers = new List<BaselineException>();
        foreach (var ns in namespaces.Count == 0 ? [null] : namespaces.Cast<string?>())
        {
            deployments.AddRange(await ListAsync<AIModelDeployment>(ns, ApiGroup.AIModelDeploymentPlural, selector, cancellationToken));
            waivers.AddRange(await ListAsync<BaselineException>(ns, ApiGroup.BaselineExceptionPlural, null, cancellationToken));
        }

        var profiles = (await ListAsync<BaselineProfile>(null, ApiGroup.BaselineProfilePlural, null, cancellationToken))
            .ToDictionary(p => p.Metadata.Name ?? "", StringComparer.Ordinal);
        // Records are cluster-scoped and carry their deployment's labels: the selector goes to the server, the
        // namespaces are those of the retired deployments. A cluster whose CRDs predate records has none.
        var records = RetirementRecordReports.From(
            await ListAsync<RetirementRecord>(null, ApiGroup.RetirementRecordPlural, selector, cancellationToken, notServedIsEmpty: true), namespaces, null);

        var judged = deployments
            .OrderBy(d => d.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(d => d.Metadata.Name, StringComparer.Ordinal)
            .Select(d =>
            {
                var name = string.IsNullOrEmpty(d.Spec?.Profile) ? ApiGroup.DefaultProfileName : d.Spec.Profile;
                var identity = profiles.TryGetValue(name, out var profile)
                    ? new ProfileIdentity(name, "cluster", ProfileDigest.Of(profile))
                    : new ProfileIdentity(name, "not found", null);
                return new JudgedDeployment(d, d.Status ?? new AIModelDeploymentStatus(), identity, "cluster");
            })
            .ToList();
        return (judged, waivers, records);
    }

    private static TimeSpan RetryAfter(HttpResponseMessageWrapper response) =>
        response.Headers.TryGetValue("Retry-After", out var values) && int.TryParse(values.FirstOrDefault(), out var seconds) && seconds is > 0 and <= 10
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(1);

    private async Task<List<T>> ListAsync<T>(string? ns, string plural, string? selector, CancellationToken cancellationToken, bool notServedIsEmpty = false)
    {
        object list;
        try
        {
            // A server that says 429 (throttled, or its storage of a just-installed CRD still initializing) is asked
            // again after the time it names, a few times, as kubectl does.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    list = ns is null
                        ? await client.CustomObjects.ListClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, plural, labelSelector: selector, cancellationToken: cancellationToken)
                        : await client.CustomObjects.ListNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ns, plural, labelSelector: selector, cancellationToken: cancellationToken);
                    break;
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && attempt < 5)
                {
                    await Task.Delay(RetryAfter(e.Response), cancellationToken);
                }
            }
        }
        catch (HttpOperationException e) when (notServedIsEmpty && e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }
        catch (HttpOperationException e)
        {
            throw new ClusterReadException($"list {plural}{(ns is null ? "" : $" in namespace {ns}")}: {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}: {FirstLine(e.Response.Content)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new ClusterReadException($"list {plural}: the API server cannot be reached: {e.Message}", e);
        }

        var element = (JsonElement)list;
        return [.. element.GetProperty("items").EnumerateArray().Select(item => KubernetesJson.Deserialize<T>(item.GetRawText()))];
    }

    private static string FirstLine(string? text) =>
        text is null ? "" : text.Split('\n', 2)[0].Trim() is { Length: > 300 } line ? line[..300] : text.Split('\n', 2)[0].Trim();
}

/// <summary>Something the report needs could not be read from the cluster.</summary>
public sealed class ClusterReadException(string message, Exception inner) : Exception(message, inner);
