using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Organization;

public enum TeamKind
{
    Company = 0,
    Region = 1,
    Department = 2,
    Team = 3,
}

/// <summary>A node of the organisation tree (company > region/department > team).</summary>
public sealed class Team : BusinessRecord
{
    public required string Name { get; set; }
    public TeamKind Kind { get; set; }
    public Guid? ParentId { get; set; }
    public Guid? HeadUserId { get; set; }

    /// <summary>A team without assistants lets the score rules confirm a new lead's grade (no manual 初筛).</summary>
    public bool AutoConfirmLeadGrades { get; set; }
}
