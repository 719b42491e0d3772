using LeadToCash.Modules.FollowUps.Settings;

namespace LeadToCash.Components.Pages.Settings;

/// <summary>The customer rules page's model (the settings as the page edits them).</summary>
public sealed class CustomerSettingsForm
{
    public int CadenceDaysA { get; set; }
    public int CadenceDaysB { get; set; }
    public int CadenceDaysC { get; set; }
    public int LateRecordMinutes { get; set; }
    public int NeedsConfirmHours { get; set; }
    public int PoolNoFollowUpDays { get; set; }
    public int PoolNoWonDealDays { get; set; }
    public int ClaimLimit { get; set; }

    public static CustomerSettingsForm From(CustomerSettingsDto s) => new()
    {
        CadenceDaysA = s.CadenceDaysA,
        CadenceDaysB = s.CadenceDaysB,
        CadenceDaysC = s.CadenceDaysC,
        LateRecordMinutes = s.LateRecordMinutes,
        NeedsConfirmHours = s.NeedsConfirmHours,
        PoolNoFollowUpDays = s.PoolNoFollowUpDays,
        PoolNoWonDealDays = s.PoolNoWonDealDays,
        ClaimLimit = s.ClaimLimit,
    };

    public CustomerSettingsDto ToDto(int version) => new(CadenceDaysA, CadenceDaysB, CadenceDaysC, LateRecordMinutes, NeedsConfirmHours,
        PoolNoFollowUpDays, PoolNoWonDealDays, ClaimLimit, version);

    /// <summary>The resource key of a field's label, by property name (for labels and validation messages).</summary>
    public static string LabelKey(string property) => $"Settings.Customers.{property}";
}
