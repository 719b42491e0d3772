using LeadToCash.Components.Pages.Account;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Components.Shared;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Organization.Tokens;

namespace LeadToCash.Tests.Components;

public sealed class FluentFieldValidatorTests
{
    private static FluentFieldValidator<ICustomerFields> CustomerValidator()
    {
        var strings = ComponentServices.Strings();
        return new FluentFieldValidator<ICustomerFields>(new CustomerFieldsValidator(), strings,
            p => strings[CustomerForm.LabelKey(p)]);
    }

    [Fact]
    public async Task ValidateProperty_EmptyName_NamesTheFieldByItsLabel()
    {
        using var culture = ComponentServices.Culture("en-US");

        var errors = await CustomerValidator().ValidatePropertyAsync(new CustomerForm { Name = " " }, nameof(CustomerForm.Name),
            TestContext.Current.CancellationToken);

        Assert.Equal(["'Company name' must not be empty."], errors);
    }

    [Fact]
    public async Task ValidateProperty_EmptyNameInChinese_UsesChineseMessageAndLabel()
    {
        using var culture = ComponentServices.Culture("zh-CN");

        var errors = await CustomerValidator().ValidatePropertyAsync(new CustomerForm(), nameof(CustomerForm.Name),
            TestContext.Current.CancellationToken);

        var error = Assert.Single(errors);
        Assert.Contains("客户名称", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Name", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateProperty_LettersInPhone_UsesTheLocalizedRuleMessage()
    {
        using var culture = ComponentServices.Culture("zh-CN");

        var errors = await CustomerValidator().ValidatePropertyAsync(new CustomerForm { Name = "A", Phone = "abc" },
            nameof(CustomerForm.Phone), TestContext.Current.CancellationToken);

        Assert.Equal(["“电话”只能包含数字、空格和 + - ( )。"], errors);
    }

    [Fact]
    public async Task ValidateProperty_BrokenWebsite_ReportsWebAddress()
    {
        using var culture = ComponentServices.Culture("en-US");

        var errors = await CustomerValidator().ValidatePropertyAsync(new CustomerForm { Name = "A", Website = "ht tp://x y" },
            nameof(CustomerForm.Website), TestContext.Current.CancellationToken);

        Assert.Equal(["'Website' is not a web address."], errors);
    }

    [Fact]
    public async Task ValidateProperty_OtherFieldInvalid_ReportsOnlyTheAskedField()
    {
        using var culture = ComponentServices.Culture("en-US");
        var form = new CustomerForm { Name = "", Phone = "abc", Website = "example.com" };

        var websiteErrors = await CustomerValidator().ValidatePropertyAsync(form, nameof(CustomerForm.Website),
            TestContext.Current.CancellationToken);

        Assert.Empty(websiteErrors);
    }

    [Fact]
    public async Task ValidateValue_BlankOptionalInput_IsValidBecauseTheFormStoresNull()
    {
        using var culture = ComponentServices.Culture("en-US");
        var form = new CustomerForm { Name = "A", Website = "   " };

        var errors = await CustomerValidator().ValidateValue(form, nameof(CustomerForm.Website));

        Assert.Null(form.Website);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ValidateValue_ConvertedModel_ChecksTheRequestRules()
    {
        using var culture = ComponentServices.Culture("en-US");
        var strings = ComponentServices.Strings();
        var validator = new FluentFieldValidator<CreateTokenRequest>(new CreateTokenValidator(), strings,
            p => strings[TokenForm.LabelKey(p)], model => ((TokenForm)model).ToRequest());
        var form = new TokenForm { Name = "CI", ExpiresInDays = 0 };

        var expiryErrors = await validator.ValidateValue(form, nameof(TokenForm.ExpiresInDays));
        var nameErrors = await validator.ValidateValue(form, nameof(TokenForm.Name));

        var error = Assert.Single(expiryErrors);
        Assert.StartsWith("'Valid for (days)' must be between 1 and 3650.", error, StringComparison.Ordinal);
        Assert.Empty(nameErrors);
    }
}
