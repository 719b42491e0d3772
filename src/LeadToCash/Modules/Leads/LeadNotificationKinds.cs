namespace LeadToCash.Modules.Leads;

/// <summary>The kinds of notification the lead process sends; each has the resource "Notify.{kind}" in both languages.</summary>
public static class LeadNotificationKinds
{
    public const string Assigned = "lead.assigned";
    public const string Reassigned = "lead.reassigned";
    public const string Claimed = "lead.claimed";
    public const string SlaReminder = "lead.sla-reminder";
    public const string Escalated = "lead.escalated";
    public const string ScreeningOverdue = "lead.screening-overdue";
    public const string ReturnedToPool = "lead.returned-to-pool";
    public const string Digest = "lead.digest";

    public static readonly IReadOnlyList<string> All = [Assigned, Reassigned, Claimed, SlaReminder, Escalated, ScreeningOverdue, ReturnedToPool, Digest];

    /// <summary>How a lead is named in a message: its company, else its contact.</summary>
    public static string NameOf(Lead lead) => lead.CompanyName ?? lead.ContactName ?? "";
}
