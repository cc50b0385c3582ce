using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AiBaseline.Engine;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests;

/// <summary>Auth challenges, retries and content negotiation of the registry client, against an in-memory registry.</summary>
public sealed class RegistryClientTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Manifest_requests_accept_oci_and_docker_manifests_and_indexes()
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        var accepted = new List<string>();
        handler.Intercept = request =>
        {
            accepted.AddRange(request.Headers.Accept.Select(a => a.MediaType!));
            return null;
        };
        using var client = new RegistryClient(Verifiers.FastRetries(Vectors.Registry), TimeProvider.System, handler);
        await client.GetManifestAsync(ImageReference.TryParse(Vectors.Image)!, Vectors.ImageDigest, null, Ct);

        Assert.Equal(OciMediaTypes.ManifestAccept, accepted);
    }

    [Fact]
    public async Task Bearer_challenge_is_answered_with_a_token_fetched_with_the_pull_secret_login()
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        string? tokenAuthorization = null;
        string? tokenQuery = null;
        handler.Intercept = request =>
        {
            if (request.RequestUri!.AbsolutePath == "/token")
            {
                tokenAuthorization = request.Headers.Authorization?.ToString();
                tokenQuery = request.RequestUri.Query;
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"token\":\"t-123\"}") };
            }

            if (request.Headers.Authorization?.ToString() == "Bearer t-123")
            {
                return null;
            }

            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "realm=\"http://auth.example/token\",service=\"registry.example\",scope=\"repository:demo/hello:pull\""));
            return challenge;
        };
        var config = Encoding.UTF8.GetBytes("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:s3cret")) + "\"}}}");
        var credentials = RegistryCredentials.FromDockerConfigJson(config);

        var result = await Verifiers.Over(handler).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), credentials, Ct);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:s3cret")), tokenAuthorization);
        Assert.Equal("?service=registry.example&scope=repository%3Ademo%2Fhello%3Apull", tokenQuery);
        Assert.DoesNotContain("s3cret", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_registry_never_reads_the_pull_secrets()
    {
        var credentials = RegistryCredentials.FromDockerConfigJson(Encoding.UTF8.GetBytes("{\"auths\":{}}"));
        var result = await Verifiers.Over(FakeRegistryHandler.WithSampleImage()).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), credentials, Ct);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.False(credentials.SecretsRead);
    }

    [Fact]
    public async Task Basic_challenge_without_credentials_is_unavailable_and_says_none_are_configured()
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        handler.Intercept = _ =>
        {
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"registry\""));
            return challenge;
        };
        var result = await Verifiers.Over(handler).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Unavailable, result.Outcome);
        Assert.Equal(VerificationReasons.RegistryUnauthorized, result.Reason);
        Assert.Contains("registry 127.0.0.1:5000 requires authentication for demo/hello and no credentials are configured for it", result.Message, StringComparison.Ordinal);
    }

    public static TheoryData<int, int, string> Statuses => new()
    {
        // status the registry answers every time, requests expected, reason
        { 503, 3, VerificationReasons.RegistryUnavailable },   // 5xx is retried (MaxRetries = 2) and then unavailable
        { 429, 3, VerificationReasons.RegistryUnavailable },   // rate limits are retried too
        { 400, 1, VerificationReasons.RegistryUnavailable },   // an unexpected answer is not retried, and proves nothing
        { 404, 1, VerificationReasons.ImageNotFound },         // nor is not-found
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Only_429_and_5xx_are_retried(int status, int expectedRequests, string reason)
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        handler.Intercept = _ => new HttpResponseMessage((HttpStatusCode)status);
        var result = await Verifiers.Over(handler).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(expectedRequests, handler.Requests);
        Assert.Equal(reason, result.Reason);
        Assert.NotEqual(VerificationOutcome.Verified, result.Outcome);
    }

    [Fact]
    public async Task Transient_5xx_then_success_verifies()
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        var failures = 2;
        handler.Intercept = _ => Interlocked.Decrement(ref failures) >= 0 ? new HttpResponseMessage(HttpStatusCode.BadGateway) : null;
        var result = await Verifiers.Over(handler).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
    }

    [Fact]
    public async Task Unavailable_registry_message_names_the_registry()
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        handler.Intercept = _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused");
        var result = await Verifiers.Over(handler).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Unavailable, result.Outcome);
        Assert.Equal($"image {Vectors.Image}: registry 127.0.0.1:5000 unavailable: ConnectionError after 3 attempts", result.Message);
    }

    [Fact]
    public void Challenge_parameters_keep_commas_inside_quotes()
    {
        var parameters = AuthChallenge.ParseParameters("realm=\"https://auth.example/token\",service=\"reg\",scope=\"repository:a/b:pull,push\"");
        Assert.Equal("https://auth.example/token", parameters["realm"]);
        Assert.Equal("repository:a/b:pull,push", parameters["scope"]);
    }
}
