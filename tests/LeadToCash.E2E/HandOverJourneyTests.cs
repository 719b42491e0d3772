using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.E2E;

/// <summary>A rep leaves: an Admin deactivates them from the Users page and their customers go to a colleague.</summary>
[Collection(E2EJourneysDefinition.Name)]
public sealed class HandOverJourneyTests(E2EApp app)
{
    private static readonly string[] RepRole = ["Rep"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeactivateRep_ChoosingAColleague_TheirCustomersBelongToTheColleague()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"离职销售{suffix}";
        Guid sh1, rep2;
        await using (var db = await app.SystemDbAsync())
        {
            sh1 = await db.Teams.Where(t => t.Name == "上海销售一组").Select(t => t.Id).SingleAsync(Ct);
            rep2 = await db.Users.Where(u => u.Email == DemoUsers.Rep2).Select(u => u.Id).SingleAsync(Ct);
        }

        using var admin = await app.ApiClientForAsync(DemoUsers.Admin);
        using var created = await (await admin.PostAsJsonAsync("/api/v1/users",
            new { email = $"leaver.{suffix}@demo.test", displayName = name, password = "leaver-password-2026", teamId = sh1, roles = RepRole }, Ct))
            .Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var person = created!.RootElement.GetProperty("id").GetGuid();
        foreach (var customer in new[] { $"{name}的客户甲", $"{name}的客户乙" })
        {
            (await admin.PostAsJsonAsync("/api/v1/customers", new { name = customer, ownerId = person }, Ct)).EnsureSuccessStatusCode();
        }

        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Admin);
        await page.NavLink("People").ClickAsync();
        await Expect(page.GetByTestId("users-table")).ToBeVisibleAsync();
        var row = page.GetByTestId("users-table").Locator("tbody tr", new() { HasText = name });
        await row.Locator(".cell-actions button").First.ClickAsync();
        await page.GetByTestId("user-deactivate").ClickAsync();

        var dialog = page.GetByTestId("handover-dialog");
        await Expect(dialog.GetByTestId("handover-counts")).ToContainTextAsync("Customers: 2");
        await dialog.Locator(".mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("刘洋", new() { Exact = false }).First.ClickAsync();
        await dialog.GetByText("What moves").ClickAsync();
        await Expect(dialog.GetByTestId("handover-hint")).ToContainTextAsync("chosen colleagues");
        await page.GetByTestId("handover-confirm").ClickAsync();

        await Expect(dialog.GetByTestId("handover-summary")).ToContainTextAsync("2 records were handed over");
        await Expect(dialog.GetByTestId("handover-summary-table")).ToContainTextAsync("刘洋");
        await Screenshots.SaveAsync(page, "20-hand-over-on-deactivation");
        await page.GetByTestId("handover-close").ClickAsync();
        await Expect(page.GetByTestId("handover-summary")).ToHaveCountAsync(0);

        await using var check = await app.SystemDbAsync();
        var owners = await check.Customers.Where(c => c.Name.StartsWith(name)).Select(c => c.OwnerId).ToListAsync(Ct);
        Assert.Equal([rep2, rep2], owners);
        Assert.False(await check.Users.Where(u => u.Id == person).Select(u => u.IsActive).SingleAsync(Ct));
        session.AssertNoBrowserErrors();
    }
}
