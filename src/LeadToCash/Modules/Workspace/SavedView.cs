namespace LeadToCash.Modules.Workspace;

/// <summary>A user's named filter and sort of a list, e.g. "my overdue A leads".</summary>
public sealed class SavedView
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }

    /// <summary>Which list the view belongs to, e.g. "leads".</summary>
    public required string ListKey { get; set; }
    public required string Name { get; set; }

    /// <summary>The list's query string (filters and sort), as the list's URL carries it.</summary>
    public string Query { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
