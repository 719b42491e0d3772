using Bunit;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Components.Shared;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Options;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LeadToCash.Tests.Components;

public sealed class CustomerEditDialogTests : BunitContext
{
    private static readonly OptionLabels Industries = new(
    [
        new OptionDto(Guid.NewGuid(), OptionLists.Industries, "manufacturing", "制造业", "Manufacturing", 1, true, 1),
        new OptionDto(Guid.NewGuid(), OptionLists.Industries, "mining", "采矿", "Mining", 2, false, 1),
    ]);

    public CustomerEditDialogTests() => this.AddAppComponents(new NoDatabase());

    private async Task<IRenderedComponent<ContainerFragment>> OpenAsync(CustomerDto? customer = null)
    {
        var providers = this.RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<CustomerEditDialog>
        {
            { d => d.Customer, customer },
            { d => d.Industries, Industries },
        };
        await providers.InvokeAsync(() => dialogs.ShowAsync<CustomerEditDialog>("", parameters));
        providers.WaitForElement("[data-testid=customer-save]");
        return providers;
    }

    [Fact]
    public async Task Save_EmptyName_ShowsTheRuleUnderTheFieldAndStaysOpen()
    {
        using var culture = ComponentServices.Culture("en-US");
        var dialog = await OpenAsync();

        await dialog.Find("[data-testid=customer-save]").ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Contains("'Company name' must not be empty.",
            dialog.Find("[data-testid=customer-dialog]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Save_LettersInPhoneInChinese_ShowsChineseMessage()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var dialog = await OpenAsync();
        await dialog.Find("input[data-testid=customer-name]").ChangeAsync(new() { Value = "上海测试有限公司" });
        await dialog.Find("input[data-testid=customer-phone]").ChangeAsync(new() { Value = "call me" });

        await dialog.Find("[data-testid=customer-save]").ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Contains("“电话”只能包含数字、空格和 + - ( )。",
            dialog.Find("[data-testid=customer-dialog]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("不能为空", dialog.Find("[data-testid=customer-dialog]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ExistingCustomer_FillsTheFormAndNamesItInTheTitle()
    {
        using var culture = ComponentServices.Culture("en-US");
        var now = new DateTime(2026, 11, 25, 1, 0, 0, DateTimeKind.Utc);
        var customer = new CustomerDto(Guid.NewGuid(), "Acme Tooling", "mining", "Suzhou", "0512-1234", null, null, null, "Met at a fair",
            Guid.NewGuid(), "张伟", null, 3, now, now);

        var dialog = await OpenAsync(customer);

        Assert.Contains("Edit Acme Tooling", dialog.Find("h2").TextContent, StringComparison.Ordinal);
        Assert.Equal("Acme Tooling", dialog.Find("input[data-testid=customer-name]").GetAttribute("value"));
        Assert.Equal("Suzhou", dialog.Find("input[data-testid=customer-region]").GetAttribute("value"));
        // A retired industry still reads as its label, not as the stored code.
        Assert.Contains("Mining", dialog.Find("[data-testid=customer-dialog]").InnerHtml, StringComparison.Ordinal);
        Assert.Contains("Save", dialog.Find("[data-testid=customer-save]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_CustomerWithProfile_ShowsGradeStageAndFreeTags()
    {
        using var culture = ComponentServices.Culture("en-US");
        var now = new DateTime(2026, 11, 25, 1, 0, 0, DateTimeKind.Utc);
        var customer = new CustomerDto(Guid.NewGuid(), "Acme Tooling", null, null, null, null, null, null, null,
            Guid.NewGuid(), "张伟", null, 3, now, now, Grade: CustomerGrade.A, Stage: LifecycleStage.RepeatCustomer,
            Tags: ["重点客户", "展会获客"], SystemTags: ["制造业-中小企业"]);

        var dialog = await OpenAsync(customer);

        var text = dialog.Find("[data-testid=customer-dialog]").InnerHtml;
        Assert.Contains("A · closes within 30 days", text, StringComparison.Ordinal);
        Assert.Contains("Repeat customer", text, StringComparison.Ordinal);
        Assert.Equal(["重点客户", "展会获客"], dialog.FindAll("[data-testid=customer-tag-chip]").Select(c => c.TextContent.Trim()));
        // The segment tag is derived, not edited here.
        Assert.DoesNotContain("制造业-中小企业", text, StringComparison.Ordinal);
        // No parent: the picker is empty, not "a company you cannot see".
        Assert.Equal("", dialog.Find("input[data-testid=customer-parent]").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task TagInput_EnterAddsATagAndTheChipRemovesIt()
    {
        using var culture = ComponentServices.Culture("en-US");
        var dialog = await OpenAsync();
        var input = dialog.Find("input[data-testid=customer-tag-new]");

        await input.InputAsync(new() { Value = "年底采购" });
        await dialog.Find("input[data-testid=customer-tag-new]").KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        dialog.WaitForAssertion(() => Assert.Equal(["年底采购"], dialog.FindAll("[data-testid=customer-tag-chip]").Select(c => c.TextContent.Trim())), TimeSpan.FromSeconds(10));
        await dialog.Find("[data-testid=customer-tag-chip] .mud-chip-close-button").ClickAsync(new());
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("[data-testid=customer-tag-chip]")), TimeSpan.FromSeconds(10));
    }
}
