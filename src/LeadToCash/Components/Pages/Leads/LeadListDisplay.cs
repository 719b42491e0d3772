using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.ListLeads;
using LeadToCash.Platform.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LeadToCash.Components.Pages.Leads;

/// <summary>How the lead list shows a row's SLA, grade and status: colours and the countdown text.</summary>
internal static class LeadListDisplay
{
    public static Color SlaColor(SlaState state) => state switch
    {
        SlaState.OnTrack => Color.Info,
        SlaState.DueSoon => Color.Warning,
        SlaState.Overdue => Color.Error,
        SlaState.Met => Color.Success,
        SlaState.Missed => Color.Secondary,
        _ => Color.Default,
    };

    public static Color GradeColor(LeadGrade grade) => grade switch
    {
        LeadGrade.A => Color.Error,
        LeadGrade.B => Color.Warning,
        _ => Color.Default,
    };

    public static Color StatusColor(LeadStatus status) => status switch
    {
        LeadStatus.New => Color.Info,
        LeadStatus.Pool => Color.Secondary,
        LeadStatus.Assigned => Color.Primary,
        LeadStatus.Contacted => Color.Success,
        LeadStatus.Converted => Color.Success,
        _ => Color.Default,
    };

    /// <summary>"1h 20m left", "overdue 3h", or the state's name when the clock has stopped.</summary>
    public static string SlaText(IStringLocalizer<SharedResource> L, SlaState state, DateTime? dueAt, DateTime now) => state switch
    {
        SlaState.None => "",
        SlaState.OnTrack or SlaState.DueSoon when dueAt is { } due => L["LeadList.Sla.Left", Duration(L, due - now)],
        SlaState.Overdue when dueAt is { } due => L["LeadList.Sla.OverdueBy", Duration(L, now - due)],
        _ => L[$"LeadList.Sla.{state}"],
    };

    /// <summary>The state as the clock moves on while a page is open: a running clock past its deadline is overdue.</summary>
    public static SlaState LiveSla(SlaState state, DateTime? dueAt, DateTime now) =>
        state is SlaState.OnTrack or SlaState.DueSoon && dueAt is { } due && due < now ? SlaState.Overdue : state;

    /// <summary>A short duration: days and hours, hours and minutes, or minutes (at least 1).</summary>
    public static string Duration(IStringLocalizer<SharedResource> L, TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span.TotalDays >= 1)
        {
            return L["LeadList.Duration.DaysHours", (int)span.TotalDays, span.Hours];
        }

        return span.TotalHours >= 1
            ? L["LeadList.Duration.HoursMinutes", (int)span.TotalHours, span.Minutes]
            : L["LeadList.Duration.Minutes", Math.Max(1, (int)Math.Ceiling(span.TotalMinutes))];
    }

    public static readonly DialogOptions DialogOptions = new()
    {
        MaxWidth = MaxWidth.Small,
        FullWidth = true,
        CloseButton = true,
        BackdropClick = false,
    };
}
