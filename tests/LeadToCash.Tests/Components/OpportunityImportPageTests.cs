using System.Text;
using Bunit;
using LeadToCash.Components.Pages.Opportunities;
using LeadToCash.Modules.Opportunities.ImportOpportunities;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;

namespace LeadToCash.Tests.Components;

/// <summary>The opportunity import page: the "match values" step lists the file's values and re-checks the rows on a choice.</summary>
public sealed class OpportunityImportPageTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task MatchValues_UnmappedStageChosen_RowBecomesImportable()
    {
        var database = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        this.AddAppComponents(database, app.Clock);
        Services.AddSingleton(new StorageOptions { DataDirectory = app.DataDirectory });
        Services.AddSingleton<StartedImports>();
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        Services.AddScoped<SpreadsheetImports>();
        Services.AddOpportunityImport();
        string customer;
        Guid needsAnalysis;
        await using (var db = await app.SystemDbAsync())
        {
            var id = await db.Users.Where(u => u.Email == DemoUsers.Admin).Select(u => u.Id).SingleAsync(Ct);
            this.SignIn(id, DemoUsers.Admin);
            customer = (await db.Customers.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync(Ct)).First(n => !n.Contains(','));
            var pipeline = await db.Pipelines.Where(p => p.IsDefault).Select(p => p.Id).SingleAsync(Ct);
            needsAnalysis = await db.PipelineStages.Where(s => s.PipelineId == pipeline).OrderBy(s => s.SortOrder).Select(s => s.Id).FirstAsync(Ct);
        }

        using var culture = ComponentServices.Culture("en-US");
        var page = Render<OpportunityImportPage>();
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=import-file-button]").HasAttribute("disabled")), TimeSpan.FromSeconds(10));
        var csv = Encoding.UTF8.GetBytes($"客户,负责人,阶段\n{customer},张伟,需求分析\n{customer},张伟,Prospecting\n");

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(csv, "deals.csv"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=import-values]")), TimeSpan.FromSeconds(10));
        var stages = page.FindAll("[data-testid=import-value][data-field=stage]");
        Assert.Equal(["Prospecting", "需求分析"], stages.Select(r => r.GetAttribute("data-value")));
        Assert.Equal([null, needsAnalysis.ToString()], stages.Select(r => r.GetAttribute("data-target")));
        Assert.Contains("1 rows will be rejected", page.Find("[data-testid=import-values-stage]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Ready", "Rejected"], page.FindAll("[data-testid=import-preview-row]").Select(r => r.GetAttribute("data-outcome")));
        Assert.Contains("Stage “Prospecting” is not mapped", page.FindAll("[data-testid=import-preview-row]")[1].TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=import-pipeline]"));

        var prospecting = page.FindComponents<MudSelect<string>>()
            .First(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && Equals(id, "import-value-select"));
        await page.InvokeAsync(() => prospecting.Instance.ValueChanged.InvokeAsync(needsAnalysis.ToString()));

        page.WaitForAssertion(() => Assert.Equal(["Ready", "Ready"],
            page.FindAll("[data-testid=import-preview-row]").Select(r => r.GetAttribute("data-outcome"))), TimeSpan.FromSeconds(10));
        Assert.Equal(needsAnalysis.ToString(),
            page.FindAll("[data-testid=import-value][data-field=stage]").Single(r => r.GetAttribute("data-value") == "Prospecting").GetAttribute("data-target"));
        Assert.Empty(page.FindAll("[data-testid=import-values-unmapped]"));
    }
}
