using System.Net;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadToCash.E2E.Infrastructure;

/// <summary>A customer's website: a second Kestrel server on another loopback port, so another origin.</summary>
public sealed class CustomerSite : IAsyncDisposable
{
    private readonly WebApplication _site;

    private CustomerSite(WebApplication site, string origin)
    {
        _site = site;
        Origin = origin;
    }

    public string Origin { get; }

    public Dictionary<string, string> Pages { get; } = [];

    public static async Task<CustomerSite> StartAsync()
    {
        WebApplication site;
        lock (AppFactory.HostCreation)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            site = builder.Build();
        }

        CustomerSite? self = null;
        site.MapGet("/", () => Results.Content(self!.Pages.GetValueOrDefault("/") ?? "", "text/html; charset=utf-8"));
        await site.StartAsync(TestContext.Current.CancellationToken);
        self = new CustomerSite(site, site.Urls.First().TrimEnd('/'));
        return self;
    }

    /// <summary>A "contact us" page of the customer's site around the generated snippet.</summary>
    public static string ContactPage(string snippet) =>
        $"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>宁波精工 · 联系我们</title></head><body><h1>联系我们</h1>\n{snippet}\n</body></html>";

    public async ValueTask DisposeAsync()
    {
        await _site.StopAsync();
        await _site.DisposeAsync();
    }
}
