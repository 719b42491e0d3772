using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Customers;

/// <summary>
/// A needs analysis report (需求分析报告) of a customer, optionally for one opportunity. Our process asks for the
/// customer's confirmation within a day of the meeting: unconfirmed after <see cref="ConfirmDueAt"/> it is overdue.
/// Visible and changeable with its customer.
/// </summary>
public sealed class NeedsAnalysis : BusinessRecord
{
    public const string RecordType = "needs-analysis";

    public Guid CustomerId { get; set; }

    /// <summary>The opportunity it was written for (the opportunities feature links it).</summary>
    public Guid? OpportunityId { get; set; }
    public required string Title { get; set; }

    /// <summary>The meeting the analysis came from; the confirmation clock starts here.</summary>
    public DateTime MeetingAt { get; set; }
    public string? Background { get; set; }
    public string? CurrentSituation { get; set; }
    public string? PainPoints { get; set; }

    /// <summary>The pain points in the customer's own words.</summary>
    public string? CustomerWords { get; set; }
    public string? Goals { get; set; }
    public long? BudgetMinor { get; set; }
    public string? Timeline { get; set; }
    public string? NeedPriorities { get; set; }
    public string? DecisionProcess { get; set; }

    public DateTime ConfirmDueAt { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }

    /// <summary>How the customer confirmed: e-mail, WeChat, signature, in the meeting… (free text).</summary>
    public string? ConfirmedHow { get; set; }
}
