using LeadToCash.Platform.Auth;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Security;

/// <summary>
/// Every endpoint of the API and the account area names the operation it needs (a policy from
/// <see cref="Permissions.All"/>), or is on the short list of endpoints that must answer without sign-in.
/// </summary>
[DatabaseTest]
public sealed partial class EndpointInventoryTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly string[] Areas = ["/api", "/health", "/openapi", "/account", "/culture"];

    /// <summary>(HTTP method or * for any, route or route prefix ending in *, why it is anonymous).</summary>
    private static readonly (string Method, string Route, string Reason)[] Anonymous =
    [
        ("POST", "/api/v1/auth/token", "Password sign-in for API clients; it is how a token is obtained."),
        ("*", "/health/live", "Liveness probe for the load balancer."),
        ("*", "/health/ready", "Readiness probe (database reachable)."),
        ("*", "/openapi/{documentName}.json", "The API description is public, like the API reference."),
        ("*", "/api/docs*", "The API reference page (Scalar) and its assets."),
        ("*", "/api/public/forms/{key}/leads", "Website form intake: visitors have no account; the form's key admits them, " +
            "CORS and a per-client rate limit guard it, and the answer carries no data."),
        ("GET", "/api/public/calendar/{token}.ics", "A user's private iCalendar feed for calendar apps, which cannot sign in: the " +
            "secret token (stored hashed, revocable) admits the reader, who gets only that user's own open tasks and planned " +
            "follow-ups, read in that user's own data scope; rate-limited per client."),
        ("*", "/culture/set", "The language switch works on the sign-in page too."),
        ("*", "/account/login", "The sign-in page."),
        ("*", "/account/denied", "Says that access was denied; shows nothing else."),
    ];

    [Fact]
    public void Endpoints_ApiAndAccountAreas_RequireANamedPermissionOrAreListedAsAnonymous()
    {
        var endpoints = Inventory();

        var offenders = endpoints
            .Select(e => (e.Display, Problem: Problem(e)))
            .Where(x => x.Problem is not null)
            .Select(x => $"{x.Display}: {x.Problem}")
            .ToList();

        Assert.True(offenders.Count == 0,
            "Endpoints without a named permission policy (use .RequireAuthorization(Permissions.X), or list the endpoint " +
            "as anonymous with a reason):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Endpoints_Inventory_CoversTheKnownAreas()
    {
        var routes = Inventory().Select(e => e.Route).ToHashSet();

        // A guard against the inventory silently finding nothing (e.g. a different data source).
        Assert.Contains("/api/v1/customers/", routes);
        Assert.Contains("/api/v1/auth/token", routes);
        Assert.Contains("/account/logout", routes);
        Assert.Contains("/health/ready", routes);
        Assert.Contains("/api/v1/search", routes);
        Assert.Contains("/api/v1/customers/{id:guid}/merge", routes);
        Assert.True(routes.Count > 25, $"Only {routes.Count} endpoints found: {string.Join(", ", routes)}");
    }

    /// <summary>
    /// A customer's contacts, needs analyses and sharing are read with customers.read and changed with customers.edit;
    /// the handlers then check the customer itself (visible: else 404; changeable: else 403).
    /// </summary>
    [Theory]
    [InlineData("GET", "/api/v1/customers/{id:guid}/collaborators", Permissions.CustomersRead)]
    [InlineData("PUT", "/api/v1/customers/{id:guid}/collaborators/{userId:guid}", Permissions.CustomersEdit)]
    [InlineData("DELETE", "/api/v1/customers/{id:guid}/collaborators/{userId:guid}", Permissions.CustomersEdit)]
    [InlineData("GET", "/api/v1/customers/{customerId:guid}/contacts", Permissions.CustomersRead)]
    [InlineData("GET", "/api/v1/customers/{customerId:guid}/contacts/{id:guid}", Permissions.CustomersRead)]
    [InlineData("POST", "/api/v1/customers/{customerId:guid}/contacts", Permissions.CustomersEdit)]
    [InlineData("PUT", "/api/v1/customers/{customerId:guid}/contacts/{id:guid}", Permissions.CustomersEdit)]
    [InlineData("DELETE", "/api/v1/customers/{customerId:guid}/contacts/{id:guid}", Permissions.CustomersEdit)]
    [InlineData("GET", "/api/v1/customers/{customerId:guid}/needs-analyses", Permissions.CustomersRead)]
    [InlineData("POST", "/api/v1/customers/{customerId:guid}/needs-analyses", Permissions.CustomersEdit)]
    [InlineData("PUT", "/api/v1/customers/{customerId:guid}/needs-analyses/{id:guid}", Permissions.CustomersEdit)]
    [InlineData("DELETE", "/api/v1/customers/{customerId:guid}/needs-analyses/{id:guid}", Permissions.CustomersEdit)]
    [InlineData("POST", "/api/v1/customers/{customerId:guid}/needs-analyses/{id:guid}/sent", Permissions.CustomersEdit)]
    [InlineData("POST", "/api/v1/customers/{customerId:guid}/needs-analyses/{id:guid}/confirm", Permissions.CustomersEdit)]
    [InlineData("GET", "/api/v1/needs-analyses/", Permissions.CustomersRead)]
    [InlineData("GET", "/api/v1/needs-analyses/{id:guid}", Permissions.CustomersRead)]
    public void Endpoints_CustomerRecords_NameTheCustomerPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.Equal([permission], endpoint.Authorization.Select(a => a.Policy));
        Assert.False(endpoint.AllowsAnonymous);
    }

    /// <summary>The customer pool, hand-over and customer import endpoints, each with the operation it needs.</summary>
    [Theory]
    [InlineData("POST", "/api/v1/customers/{id:guid}/claim", Permissions.CustomersClaim)]
    [InlineData("POST", "/api/v1/customers/{id:guid}/release", Permissions.CustomersClaim)]
    [InlineData("POST", "/api/v1/customers/{id:guid}/assign", Permissions.CustomersAssign)]
    [InlineData("POST", "/api/v1/customers/bulk/assign", Permissions.CustomersAssign)]
    [InlineData("GET", "/api/v1/customer-pool/rules/", Permissions.SettingsManage)]
    [InlineData("PUT", "/api/v1/customer-pool/rules/{teamId:guid}", Permissions.SettingsManage)]
    [InlineData("DELETE", "/api/v1/customer-pool/rules/{teamId:guid}", Permissions.SettingsManage)]
    [InlineData("GET", "/api/v1/users/{id:guid}/hand-over", Permissions.HandOverManage)]
    [InlineData("POST", "/api/v1/users/{id:guid}/hand-over", Permissions.HandOverManage)]
    [InlineData("POST", "/api/v1/users/{id:guid}/deactivate", Permissions.UsersManage)]
    [InlineData("GET", "/api/v1/customers/imports/", Permissions.CustomersImport)]
    [InlineData("POST", "/api/v1/customers/imports/", Permissions.CustomersImport)]
    [InlineData("POST", "/api/v1/customers/imports/{id:guid}/preview", Permissions.CustomersImport)]
    [InlineData("POST", "/api/v1/customers/imports/{id:guid}/start", Permissions.CustomersImport)]
    [InlineData("GET", "/api/v1/customers/imports/{id:guid}", Permissions.CustomersImport)]
    [InlineData("GET", "/api/v1/customers/imports/{id:guid}/rejected", Permissions.CustomersImport)]
    [InlineData("GET", "/api/v1/contacts/export", Permissions.CustomersExport)]
    public void Endpoints_PoolHandOverAndCustomerImport_RequireTheirPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.Contains(permission, endpoint.Authorization.Select(a => a.Policy));
        Assert.False(endpoint.AllowsAnonymous);
    }

    [Theory]
    [InlineData("GET", "/api/v1/search", Permissions.SearchUse)]
    [InlineData("POST", "/api/v1/customers/{id:guid}/merge", Permissions.CustomersMerge)]
    public void Endpoints_SearchAndMerge_NeedTheirOwnPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.False(endpoint.AllowsAnonymous);
        Assert.Equal([permission], endpoint.Authorization.Select(a => a.Policy));
    }

    [Fact]
    public void Endpoints_AnonymousList_HasNoStaleEntries()
    {
        var endpoints = Inventory();

        var stale = Anonymous.Where(a => !endpoints.Any(e => Matches(a, e))).Select(a => $"{a.Method} {a.Route}").ToList();

        Assert.True(stale.Count == 0, "Anonymous entries that match no endpoint (remove them):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void Problem_BareRequireAuthorization_IsRefused()
    {
        // The rule itself, on an endpoint built the way a forgotten policy would look.
        var bare = new Endpoint("GET /api/v1/anything", "/api/v1/anything", ["GET"], [new AuthorizeAttribute()], false);
        var unknownPolicy = new Endpoint("GET /api/v1/anything", "/api/v1/anything", ["GET"], [new AuthorizeAttribute("made.up")], false);
        var anonymous = new Endpoint("GET /api/v1/anything", "/api/v1/anything", ["GET"], [], true);
        var named = new Endpoint("GET /api/v1/anything", "/api/v1/anything", ["GET"], [new AuthorizeAttribute(Permissions.CustomersRead)], false);

        Assert.NotNull(Problem(bare));
        Assert.NotNull(Problem(unknownPolicy));
        Assert.NotNull(Problem(anonymous));
        Assert.Null(Problem(named));
    }

    private List<Endpoint> Inventory()
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Select(e =>
            {
                var route = "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');
                var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.ToArray() ?? [];
                var display = $"{(methods.Length == 0 ? "*" : string.Join(",", methods))} {route}";
                return new Endpoint(display, route, methods, e.Metadata.GetOrderedMetadata<IAuthorizeData>(),
                    e.Metadata.GetMetadata<IAllowAnonymous>() is not null);
            })
            .Where(e => Areas.Any(a => e.Route.Equals(a, StringComparison.OrdinalIgnoreCase)
                || e.Route.StartsWith(a + "/", StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    private static string? Problem(Endpoint endpoint)
    {
        if (Anonymous.Any(a => Matches(a, endpoint)))
        {
            return null;
        }

        if (endpoint.AllowsAnonymous)
        {
            return "allows anonymous access but is not on the anonymous list";
        }

        if (endpoint.Authorization.Count == 0)
        {
            return "has no authorization at all";
        }

        var bare = endpoint.Authorization.Where(a => string.IsNullOrEmpty(a.Policy)).ToList();
        if (bare.Count > 0)
        {
            return "requires authorization without naming a permission policy (a bare RequireAuthorization() or [Authorize])";
        }

        var unknown = endpoint.Authorization.Select(a => a.Policy!).Where(p => !Permissions.All.Contains(p)).ToList();
        return unknown.Count > 0 ? $"names policies that are not permissions: {string.Join(", ", unknown)}" : null;
    }

    private static bool Matches((string Method, string Route, string Reason) entry, Endpoint endpoint)
    {
        var routeMatches = entry.Route.EndsWith('*')
            ? endpoint.Route.StartsWith(entry.Route[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(entry.Route, endpoint.Route, StringComparison.OrdinalIgnoreCase);
        var methodMatches = entry.Method == "*"
            || (endpoint.Methods.Count == 1 && string.Equals(endpoint.Methods[0], entry.Method, StringComparison.OrdinalIgnoreCase));
        return routeMatches && methodMatches;
    }

    private sealed record Endpoint(string Display, string Route, IReadOnlyList<string> Methods,
        IReadOnlyList<IAuthorizeData> Authorization, bool AllowsAnonymous);
}
