using Bunit;
using LeadToCash.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LeadToCash.Tests.Components;

public sealed class WorkingDaysMaskTests
{
    [Fact]
    public void Parse_MondayToFriday_FirstFiveDaysWork()
    {
        var days = WorkingDaysMask.Parse("1111100");

        Assert.Equal([true, true, true, true, true, false, false], days);
    }

    [Fact]
    public void Parse_ShortOrMissingMask_MissingDaysDoNotWork()
    {
        Assert.Equal([true, false, true, false, false, false, false], WorkingDaysMask.Parse("101"));
        Assert.All(WorkingDaysMask.Parse(null), Assert.False);
    }

    [Fact]
    public void Format_SevenFlags_MaskStartsOnMonday()
    {
        Assert.Equal("0111111", WorkingDaysMask.Format([false, true, true, true, true, true, true]));
    }

    [Fact]
    public void Format_NotSevenFlags_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingDaysMask.Format([true, true]));
    }

    [Theory]
    [InlineData(DayOfWeek.Monday, false, "0111100")]
    [InlineData(DayOfWeek.Saturday, true, "1111110")]
    [InlineData(DayOfWeek.Sunday, true, "1111101")]
    [InlineData(DayOfWeek.Friday, true, "1111100")]
    public void With_OneDayChanged_OnlyThatCharacterChanges(DayOfWeek day, bool working, string expected)
    {
        Assert.Equal(expected, WorkingDaysMask.With("1111100", day, working));
    }

    [Fact]
    public void IsWorking_SundayOfSixDayWeek_False()
    {
        Assert.True(WorkingDaysMask.IsWorking("1111110", DayOfWeek.Saturday));
        Assert.False(WorkingDaysMask.IsWorking("1111110", DayOfWeek.Sunday));
    }
}

public sealed class WorkingDaysPickerTests : BunitContext
{
    public WorkingDaysPickerTests()
    {
        Services.AddMudServices();
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Render_MondayToFridayMask_ChecksWeekdaysOnly()
    {
        var cut = Render<WorkingDaysPicker>(p => p.Add(x => x.Mask, "1111100"));

        var boxes = cut.FindAll("input[type=checkbox]");
        Assert.Equal(7, boxes.Count);
        Assert.Equal([true, true, true, true, true, false, false], boxes.Select(IsChecked));
        Assert.NotNull(cut.Find("[data-testid=working-day-monday]"));
        Assert.NotNull(cut.Find("[data-testid=working-day-sunday]"));
    }

    [Fact]
    public void CheckSaturday_MondayToFriday_RaisesSixDayMask()
    {
        string? raised = null;
        var cut = Render<WorkingDaysPicker>(p => p
            .Add(x => x.Mask, "1111100")
            .Add(x => x.MaskChanged, mask => raised = mask));

        cut.Find("[data-testid=working-day-saturday]").Change(true);

        Assert.Equal("1111110", raised);
        cut.WaitForAssertion(() => Assert.True(IsChecked(cut.Find("[data-testid=working-day-saturday]"))));
    }

    [Fact]
    public void UncheckMonday_ThenWednesday_RaisesBothChanges()
    {
        var raised = new List<string>();
        var cut = Render<WorkingDaysPicker>(p => p
            .Add(x => x.Mask, "1111100")
            .Add(x => x.MaskChanged, mask => raised.Add(mask)));

        cut.Find("[data-testid=working-day-monday]").Change(false);
        cut.Find("[data-testid=working-day-wednesday]").Change(false);

        Assert.Equal(["0111100", "0101100"], raised);
    }

    private static bool IsChecked(AngleSharp.Dom.IElement input) =>
        input.ParentElement!.ClassList.Contains("mud-checkbox-true");
}
