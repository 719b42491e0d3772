using System.Linq.Expressions;
using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Leads;

/// <summary>
/// One lead as the API and the lead page show it. Sla, CanChange and the names of people and teams are filled by
/// <see cref="LeadAccess.ReadAsync"/>; BudgetMinor is in minor units of the company currency (分 for CNY).
/// </summary>
public sealed record LeadDto(
    Guid Id,
    string SourceChannel,
    DateTime CapturedAt,
    string? CompanyName,
    string? ContactName,
    string? Title,
    string? Mobile,
    string? Phone,
    string? Email,
    string? WeChat,
    string? Industry,
    string? CompanySize,
    string? Region,
    long? BudgetMinor,
    int? PurchaseWithinMonths,
    bool DecisionMakerIdentified,
    string? Need,
    string? Notes,
    string? Tags,
    LeadStatus Status,
    int Score,
    LeadGrade SuggestedGrade,
    LeadGrade? Grade,
    DateTime ScreeningDueAt,
    DateTime? ScreenedAt,
    Guid? ScreenedBy,
    string? GradeReason,
    Guid TeamId,
    Guid? OwnerId,
    string? OwnerName,
    Guid? PoolTeamId,
    DateTime? AssignedAt,
    DateTime? FirstTouchDueAt,
    DateTime? FirstTouchAt,
    int? ResponseMinutes,
    DateTime? EscalatedAt,
    Guid? DuplicateOfLeadId,
    Guid? DuplicateOfCustomerId,
    string? DuplicateField,
    string? DisqualifyReason,
    Guid? ConvertedCustomerId,
    Guid? MergedIntoId,
    Guid? WebFormId,
    bool Incomplete,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt) : IScopedRecord
{
    public SlaState Sla { get; init; }
    public string? TeamName { get; init; }
    public string? ScreenedByName { get; init; }
    public bool? CanChange { get; init; }

    public static readonly Expression<Func<Lead, LeadDto>> Projection = l => new LeadDto(
        l.Id, l.SourceChannel, Utc(l.CapturedAt), l.CompanyName, l.ContactName, l.Title, l.Mobile, l.Phone, l.Email,
        l.WeChat, l.Industry, l.CompanySize, l.Region, l.BudgetMinor, l.PurchaseWithinMonths, l.DecisionMakerIdentified,
        l.Need, l.Notes, l.Tags, l.Status, l.Score, l.SuggestedGrade, l.Grade, Utc(l.ScreeningDueAt), Utc(l.ScreenedAt),
        l.ScreenedBy, l.GradeReason, l.TeamId, l.OwnerId, l.Owner != null ? l.Owner.DisplayName : null, l.PoolTeamId,
        Utc(l.AssignedAt), Utc(l.FirstTouchDueAt), Utc(l.FirstTouchAt), l.ResponseMinutes, Utc(l.EscalatedAt),
        l.DuplicateOfLeadId, l.DuplicateOfCustomerId, l.DuplicateField, l.DisqualifyReason, l.ConvertedCustomerId,
        l.MergedIntoId, l.WebFormId, l.Mobile == null && l.Phone == null && l.Email == null && l.WeChat == null,
        l.Version, Utc(l.CreatedAt), Utc(l.UpdatedAt));

    public string DisplayName => CompanyName ?? ContactName ?? "";

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}

/// <summary>A contact attempt as shown on the lead page.</summary>
public sealed record LeadActivityDto(Guid Id, LeadActivityKind Kind, LeadActivityOutcome Outcome, string? Notes,
    DateTime OccurredAt, Guid UserId, string? UserName);
