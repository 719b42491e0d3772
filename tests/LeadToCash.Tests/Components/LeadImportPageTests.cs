using System.Text;
using Bunit;
using LeadToCash.Components.Pages.Leads;
using LeadToCash.Modules.Leads.ImportLeads;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadToCash.Tests.Components;

/// <summary>The import page over the demo database: a file goes in, its columns and checked rows come out.</summary>
public sealed class LeadImportPageTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upload_CsvWithChineseHeaders_ShowsMappingAndPreviewWithRowProblems()
    {
        var database = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        this.AddAppComponents(database, app.Clock);
        Services.AddSingleton(new StorageOptions { DataDirectory = app.DataDirectory });
        Services.AddSingleton<StartedImports>();
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        Services.AddScoped<SpreadsheetImports>();
        Services.AddLeadImport();
        await using (var db = await database.CreateDbContextAsync(Ct))
        {
            var id = await db.Users.Where(u => u.Email == DemoUsers.Rep).Select(u => u.Id).SingleAsync(Ct);
            this.SignIn(id, DemoUsers.Rep);
        }

        using var culture = ComponentServices.Culture("en-US");
        var page = Render<LeadImportPage>();
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=import-file-button]").HasAttribute("disabled")), TimeSpan.FromSeconds(10));
        var csv = Encoding.UTF8.GetBytes("公司名称,联系人,手机\n上海页面测试有限公司,王页,13811112222\n杭州页面测试,李页,12-ab\n");

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(csv, "page.csv"));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=import-column]").Count), TimeSpan.FromSeconds(10));
        var rows = page.FindAll("[data-testid=import-preview-row]");
        Assert.Equal(["Ready", "Rejected"], rows.Select(r => r.GetAttribute("data-outcome")));
        Assert.Contains("12-ab", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Company", page.Find("[data-testid=import-preview]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=import-start]"));
    }
}
