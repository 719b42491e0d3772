using System.Net;
using System.Text.Json;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Api;

[DatabaseTest]
public sealed class ApiDocumentTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenApiDocument_Anonymous_DescribesEndpointsAndBearerSignIn()
    {
        using var client = app.AnonymousClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct));

        var root = document.RootElement;
        Assert.Equal("LeadToCash API", root.GetProperty("info").GetProperty("title").GetString());
        var paths = root.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/auth/token", "/api/v1/customers", "/api/v1/customers/{id}", "/api/v1/users", "/api/v1/me" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }

        var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("Bearer", root.GetProperty("security")[0].EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task ApiReferencePage_Anonymous_IsServed()
    {
        using var client = app.AnonymousClient();

        var response = await client.GetAsync("/api/docs/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}
