using Bunit;
using LeadToCash.Components.Pages.Organization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace LeadToCash.Tests.Components;

public sealed class EraseUserDialogTests : BunitContext
{
    public EraseUserDialogTests()
    {
        Services.AddMudServices();
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Theory]
    [InlineData("刘洋", true)]
    [InlineData("  刘洋 ", true)]
    [InlineData("刘", false)]
    [InlineData("刘 洋", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsConfirmation_TypedText_OnlyTheExactNameConfirms(string? typed, bool expected)
    {
        Assert.Equal(expected, EraseUserDialog.IsConfirmation(typed, "刘洋"));
    }

    [Fact]
    public void IsConfirmation_DifferentCase_DoesNotConfirm()
    {
        Assert.False(EraseUserDialog.IsConfirmation("liu yang", "Liu Yang"));
        Assert.True(EraseUserDialog.IsConfirmation("Liu Yang", "Liu Yang"));
    }

    [Fact]
    public void IsConfirmation_EmptyName_NeverConfirms()
    {
        Assert.False(EraseUserDialog.IsConfirmation("", ""));
        Assert.False(EraseUserDialog.IsConfirmation(" ", " "));
    }

    [Fact]
    public async Task Confirm_WrongThenExactName_EnabledOnlyForExactName()
    {
        var (provider, reference) = await ShowAsync("刘洋");
        var confirm = () => provider.Find("[data-testid=erase-confirm]");
        Assert.True(confirm().HasAttribute("disabled"));

        await provider.InvokeAsync(() => provider.Find("[data-testid=erase-confirm-name]").Input("刘"));
        Assert.True(confirm().HasAttribute("disabled"));

        await provider.InvokeAsync(() => provider.Find("[data-testid=erase-confirm-name]").Input("刘洋"));
        provider.WaitForAssertion(() => Assert.False(confirm().HasAttribute("disabled")));

        await confirm().ClickAsync(new());
        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(5), Xunit.TestContext.Current.CancellationToken);
        Assert.False(result!.Canceled);
        Assert.Equal(true, result.Data);
    }

    [Fact]
    public async Task Cancel_AfterTypingName_ResultCanceled()
    {
        var (provider, reference) = await ShowAsync("Zhang Wei");

        await provider.InvokeAsync(() => provider.Find("[data-testid=erase-confirm-name]").Input("Zhang Wei"));
        await provider.Find("[data-testid=erase-cancel]").ClickAsync(new());

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(5), Xunit.TestContext.Current.CancellationToken);
        Assert.True(result!.Canceled);
    }

    [Fact]
    public async Task Show_PersonName_ExplainsWhatIsErased()
    {
        var (provider, _) = await ShowAsync("刘洋");

        Assert.Contains("刘洋", provider.Find("[data-testid=erase-explain]").TextContent, StringComparison.Ordinal);
        Assert.Contains("PIPL", provider.Find("[data-testid=erase-explain]").TextContent, StringComparison.Ordinal);
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Reference)> ShowAsync(string name)
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<EraseUserDialog>(
            "Erase", new DialogParameters<EraseUserDialog> { { x => x.PersonName, name } }));
        provider.WaitForElement("[data-testid=erase-confirm-name]");
        return (provider, reference!);
    }
}
