using Bunit;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Components.Pages.Leads;
using LeadToCash.Components.Pages.Tasks;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace LeadToCash.Tests.Components;

/// <summary>"New task" on a customer's and a lead's page: the task is about that record, in My day and on the task list with a link to it.</summary>
public sealed class NewRelatedTaskTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private IRenderedComponent<ContainerFragment> _providers = default!;

    private async Task<Guid> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        var configuration = new ConfigurationBuilder().Build();
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddLeads();
        Services.AddLeadList();
        Services.AddSingleton(app.Services.GetRequiredService<StorageOptions>());
        Services.AddFiles(configuration);
        Services.AddTasks(configuration);
        var id = await TestLeads.UserIdAsync(app, email);
        this.SignIn(id, email);
        _providers = this.RenderProviders();
        return id;
    }

    /// <summary>Clicks the page's "New task", checks the dialog is about the record, gives the task a title and saves it.</summary>
    private async Task<WorkTask> CreateFromPageAsync<TPage>(IRenderedComponent<TPage> page, Guid relatedId, string relatedName, string title)
        where TPage : IComponent
    {
        page.WaitForElement("[data-testid=new-related-task]", TimeSpan.FromSeconds(10));
        await page.InvokeAsync(() => page.Find("[data-testid=new-related-task]").Click());
        _providers.WaitForElement("input[data-testid=task-title]", TimeSpan.FromSeconds(10));
        var related = _providers.FindComponent<MudAutocomplete<TaskEditDialog.RelatedChoice>>().Instance.GetState(x => x.Value);
        Assert.Equal(new TaskEditDialog.RelatedChoice(relatedId, relatedName), related);

        await _providers.InvokeAsync(() => _providers.Find("input[data-testid=task-title]").Change(title));
        await _providers.InvokeAsync(() => _providers.Find("[data-testid=task-save]").Click());

        _providers.WaitForAssertion(() => Assert.Empty(_providers.FindAll("[data-testid=task-edit-dialog]")), TimeSpan.FromSeconds(10));
        await using var db = await app.SystemDbAsync();
        return await db.Tasks.AsNoTracking().SingleAsync(t => t.Title == title, Ct);
    }

    /// <summary>
    /// My day's line of the task (the line opens the task, whose dialog links the record: a link inside the line's option
    /// role would be a nested control) and the link of the related record on the task list.
    /// </summary>
    private (string MyDayLine, string? Href, string Name) Shown(string title)
    {
        var panel = Render<MyDayPanel>();
        panel.WaitForAssertion(() => Assert.Contains(panel.FindAll("[data-testid=my-day-task]"),
            t => t.TextContent.Contains(title, StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
        var line = panel.FindAll("[data-testid=my-day-task]").Single(t => t.TextContent.Contains(title, StringComparison.Ordinal)).TextContent;
        var list = Render<TasksPage>();
        list.WaitForAssertion(() => Assert.Contains(list.FindAll("[data-testid=task-row-title]"),
            t => t.TextContent.Contains(title, StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
        var row = list.FindAll("tbody tr").Single(r => r.TextContent.Contains(title, StringComparison.Ordinal));
        var link = row.QuerySelector("a[href]")!;
        return (line, link.GetAttribute("href"), link.TextContent);
    }

    [Fact]
    public async Task NewTask_FromTheCustomerPage_IsAboutTheCustomerAndListedWithALinkToIt()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "任务按钮测试客户");

        var page = Render<CustomerDetail>(p => p.Add(x => x.Id, customer.Id));
        var task = await CreateFromPageAsync(page, customer.Id, customer.Name, "Send the offer to the buyer");

        Assert.Equal((Customer.RecordType, (Guid?)customer.Id, (Guid?)rep, WorkTaskStatus.Open),
            (task.RelatedType, task.RelatedId, task.OwnerId, task.Status));
        var (line, href, name) = Shown(task.Title);
        Assert.Contains(customer.Name, line, StringComparison.Ordinal);
        Assert.Equal(($"/customers/{customer.Id}", customer.Name), (href, name));
    }

    [Fact]
    public async Task NewTask_FromTheLeadPage_IsAboutTheLeadAndListedWithALinkToIt()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var manager = await SignInAsync(DemoUsers.Manager);
        const string company = "任务按钮测试线索公司";
        var team = await TestCustomers.TeamIdAsync(app, "上海销售一组");
        var lead = new Lead
        {
            SourceChannel = "trade-show", CompanyName = company, ContactName = "钱女士", Mobile = "13700001111",
            TeamId = team, OwnerId = manager, Status = LeadStatus.Assigned, Grade = LeadGrade.A, Score = 80,
            ScreeningDueAt = app.Clock.GetUtcNow().UtcDateTime.AddHours(1),
        };
        await using (var db = await app.SystemDbAsync())
        {
            db.Leads.Add(lead);
            await db.SaveChangesAsync(Ct);
        }

        var page = Render<LeadPage>(p => p.Add(x => x.Id, lead.Id));
        Assert.Contains("新建任务", page.WaitForElement("[data-testid=new-related-task]", TimeSpan.FromSeconds(10)).TextContent,
            StringComparison.Ordinal);
        var task = await CreateFromPageAsync(page, lead.Id, company, "约钱女士看演示");

        Assert.Equal((Lead.RecordType, (Guid?)lead.Id, (Guid?)manager), (task.RelatedType, task.RelatedId, task.OwnerId));
        var (line, href, name) = Shown(task.Title);
        Assert.Contains(company, line, StringComparison.Ordinal);
        Assert.Equal(($"/leads/{lead.Id}", company), (href, name));
    }
}
