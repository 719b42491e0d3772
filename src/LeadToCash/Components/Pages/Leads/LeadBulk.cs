using LeadToCash.Modules.Leads;

namespace LeadToCash.Components.Pages.Leads;

public enum LeadBulkMode
{
    Assign = 0,
    Regrade = 1,
    Disqualify = 2,
}

/// <summary>What the bulk dialog collected: the new owner, or the grade and the reason.</summary>
public sealed record LeadBulkInput(Guid? OwnerId, LeadGrade? Grade, string? Reason);
