using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Company;

/// <summary>The one company of this installation (see docs/adr/0005-one-company-per-installation.md).</summary>
public sealed class CompanySettings : BusinessRecord
{
    public required string Name { get; set; }
    public string TimeZone { get; set; } = "Asia/Shanghai";
    public string Currency { get; set; } = "CNY";

    /// <summary>Working days as a 7-character mask starting Monday, e.g. "1111100".</summary>
    public string WorkingDays { get; set; } = "1111100";
    public TimeOnly WorkdayStart { get; set; } = new(9, 0);
    public TimeOnly WorkdayEnd { get; set; } = new(18, 0);
    public string DefaultCulture { get; set; } = "zh-CN";
}

/// <summary>A public holiday, or a make-up working day (调休) when <see cref="IsWorkingDay"/> is true.</summary>
public sealed class Holiday : BusinessRecord
{
    public DateOnly Date { get; set; }
    public required string Name { get; set; }
    public bool IsWorkingDay { get; set; }
}
