namespace LeadToCash.Modules.Leads;

/// <summary>
/// The lead states as query filters, one definition for the list, the home page, the jobs and the rosters (in SQL;
/// <see cref="LeadRules"/> says the same of one lead in memory).
/// </summary>
public static class LeadQueries
{
    public static IQueryable<Lead> Open(this IQueryable<Lead> leads) =>
        leads.Where(l => l.Status == LeadStatus.New || l.Status == LeadStatus.Pool || l.Status == LeadStatus.Assigned
            || l.Status == LeadStatus.Contacted);

    /// <summary>Open leads that someone owns (the first-touch clock, pool return and the claim limit apply to them).</summary>
    public static IQueryable<Lead> OwnedOpen(this IQueryable<Lead> leads) =>
        leads.Where(l => l.OwnerId != null && (l.Status == LeadStatus.Assigned || l.Status == LeadStatus.Contacted));

    /// <summary>Owned open leads past their first-touch deadline without a contact attempt (<see cref="SlaState.Overdue"/>).</summary>
    public static IQueryable<Lead> FirstTouchOverdue(this IQueryable<Lead> leads, DateTime now) =>
        leads.OwnedOpen().Where(l => l.FirstTouchAt == null && l.FirstTouchDueAt != null && l.FirstTouchDueAt < now);
}
