namespace LeadToCash.Components.Pages.Opportunities;

/// <summary>What the lose dialog answers: the reason code and the competitor who won, if known.</summary>
public sealed record LostChoice(string Reason, string? Competitor);

/// <summary>What the bulk-move dialog answers: the target stage and, for a manager's override, the reason.</summary>
public sealed record BulkMoveChoice(Guid StageId, string? OverrideReason);

/// <summary>A stage as the pickers offer it.</summary>
public sealed record StageChoice(Guid Id, string Name);
