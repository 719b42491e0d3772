using System.Net;
using System.Text.RegularExpressions;
using LeadToCash.Platform.Web;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Security;

/// <summary>
/// Every kind of response carries the security headers (one Content-Security-Policy, nosniff, the referrer policy, no
/// framing): a server-rendered page, an interactive page, an API answer, an API error, the API reference page, a static
/// file and a health probe. The inline import map runs only by the response's own nonce.
/// </summary>
[DatabaseTest]
public sealed partial class SecurityHeadersTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> AnonymousUrls => ["/account/login", "/api/docs/", "/api/v1/me", "/health/live", "/app.css",
        "/api/public/forms/no-such-key/leads", "/openapi/v1.json"];

    [Theory]
    [MemberData(nameof(AnonymousUrls))]
    public async Task AnyResponse_Anonymous_CarriesTheSecurityHeaders(string url)
    {
        using var client = app.AnonymousClient();

        using var response = await client.GetAsync(url, Ct);

        AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData("/api/v1/me", HttpStatusCode.OK)]
    [InlineData("/api/v1/customers?limit=2", HttpStatusCode.OK)]
    [InlineData("/api/v1/customers/00000000-0000-0000-0000-000000000001", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/customers?limit=abc", HttpStatusCode.BadRequest)]
    [InlineData("/customers", HttpStatusCode.OK)]
    public async Task AnyResponse_SignedIn_CarriesTheSecurityHeaders(string url, HttpStatusCode status)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        using var response = await rep.GetAsync(url, Ct);

        await response.ExpectAsync(status);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Page_ContentSecurityPolicy_IsStrictAndItsNonceAdmitsTheImportMapOnly()
    {
        using var client = app.AnonymousClient();

        using var first = await client.GetAsync("/account/login", Ct);
        using var second = await client.GetAsync("/account/login", Ct);

        var policy = Policy(first);
        var nonce = NonceIn(policy);
        var html = await first.Content.ReadAsStringAsync(Ct);
        Assert.Equal(
            $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
            "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            policy);
        Assert.Matches("^[A-Za-z0-9_-]{24}$", nonce);
        Assert.NotEqual(nonce, NonceIn(Policy(second)));
        // Each inline script carries the nonce: here only the import map; the app's other scripts are files of its own.
        var inlineScripts = ScriptTag().Matches(html).Select(m => m.Value).Where(t => !t.Contains(" src=", StringComparison.Ordinal)).ToList();
        var importMap = Assert.Single(inlineScripts);
        Assert.Contains("type=\"importmap\"", importMap, StringComparison.Ordinal);
        Assert.Contains($"nonce=\"{nonce}\"", importMap, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiReference_ContentSecurityPolicy_AddsOnlyWhatTheReferenceNeeds()
    {
        using var client = app.AnonymousClient();

        using var docs = await client.GetAsync("/api/docs/", Ct);
        using var api = await client.GetAsync("/api/v1/me", Ct);

        await docs.ExpectAsync(HttpStatusCode.OK);
        var nonce = NonceIn(Policy(docs));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy(nonce, apiReference: true), Policy(docs));
        Assert.Contains($"script-src 'self' 'nonce-{nonce}' 'unsafe-eval';", Policy(docs), StringComparison.Ordinal);
        var html = await docs.Content.ReadAsStringAsync(Ct);
        Assert.All(ScriptTag().Matches(html), m => Assert.Contains($"nonce=\"{nonce}\"", m.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("cdn.", html, StringComparison.OrdinalIgnoreCase);
        // Everywhere else: no eval, and a response with no inline script gets no nonce.
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy(null), Policy(api));
        Assert.DoesNotContain("unsafe-eval", Policy(api), StringComparison.Ordinal);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var policy = Policy(response);
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)),
            StringComparison.Ordinal);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Single(response, "Referrer-Policy"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
    }

    /// <summary>The one Content-Security-Policy of the response (two policies would both apply, and hide mistakes).</summary>
    private static string Policy(HttpResponseMessage response) => Single(response, "Content-Security-Policy");

    private static string Single(HttpResponseMessage response, string header)
    {
        Assert.True(response.Headers.TryGetValues(header, out var values) || response.Content.Headers.TryGetValues(header, out values),
            $"{response.RequestMessage?.RequestUri} ({(int)response.StatusCode}) has no {header} header");
        return Assert.Single(values);
    }

    private static string NonceIn(string policy) => NonceSource().Match(policy) is { Success: true } m
        ? m.Groups[1].Value
        : throw new Xunit.Sdk.XunitException($"No nonce in: {policy}");

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceSource();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
