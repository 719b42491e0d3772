using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Customers;

/// <summary>
/// The company's customer rules, edited by an Admin: the follow-up cadence by grade, when a record is late, the
/// needs-analysis confirmation window and the default pool rules. One row; absent = these defaults.
/// </summary>
public sealed class CustomerSettings : BusinessRecord
{
    // Longest gap between two follow-ups, in days, by grade: A daily, B at most 3 days apart, C weekly.
    public int CadenceDaysA { get; set; } = 1;
    public int CadenceDaysB { get; set; } = 3;
    public int CadenceDaysC { get; set; } = 7;

    /// <summary>A follow-up record entered more than this after the contact is marked late.</summary>
    public int LateRecordMinutes { get; set; } = 120;

    /// <summary>A needs analysis unconfirmed this long after its meeting is overdue.</summary>
    public int NeedsConfirmHours { get; set; } = 24;

    // Pool rules unless a team has its own: no follow-up for N days or no won deal for M days → back to the pool.
    public int PoolNoFollowUpDays { get; set; } = 30;
    public int PoolNoWonDealDays { get; set; } = 90;

    /// <summary>Most customers a rep may hold by claiming from the pool; 0 = no limit.</summary>
    public int ClaimLimit { get; set; } = 100;

    public int CadenceDays(CustomerGrade grade) => grade switch
    {
        CustomerGrade.A => CadenceDaysA,
        CustomerGrade.B => CadenceDaysB,
        _ => CadenceDaysC,
    };
}

/// <summary>A team's own customer pool rules, overriding the company's.</summary>
public sealed class CustomerPoolRule : BusinessRecord
{
    public Guid TeamId { get; set; }
    public int NoFollowUpDays { get; set; } = 30;
    public int NoWonDealDays { get; set; } = 90;
    public int ClaimLimit { get; set; } = 100;
}
