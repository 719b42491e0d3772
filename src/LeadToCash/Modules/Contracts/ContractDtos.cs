using LeadToCash.Platform.Files;

namespace LeadToCash.Modules.Contracts;

/// <summary>A line of a contract as entered: a description (or a catalogue product's code), quantity × unit price less the discount.</summary>
public sealed record ContractLineRequest(
    string Description,
    decimal Quantity = 1,
    long UnitPriceMinor = 0,
    decimal DiscountPercent = 0,
    string? Unit = null,
    string? ProductCode = null);

/// <summary>
/// A new contract: from an opportunity (its customer, owner and currency; the accepted quote's lines and total unless
/// <see cref="QuoteId"/> names another quote of it) or for a customer (<see cref="CustomerId"/>, then lines or an amount).
/// </summary>
public sealed record CreateContractRequest(
    Guid? OpportunityId = null,
    Guid? CustomerId = null,
    Guid? QuoteId = null,
    string? Title = null,
    long? AmountMinor = null,
    string? Currency = null,
    IReadOnlyList<Guid>? SignerContactIds = null,
    DateOnly? StartDate = null,
    DateOnly? EndDate = null,
    string? PaymentTerms = null,
    string? KeyClauses = null,
    string? Notes = null,
    IReadOnlyList<ContractLineRequest>? Lines = null);

/// <summary>
/// The fields of a contract. Lines replace the earlier ones; with lines the amount is their sum unless given. While in
/// approval nothing changes; once signed only the notes do (milestones have their own commands).
/// </summary>
public sealed record UpdateContractRequest(
    string Title,
    long AmountMinor,
    string Currency = "CNY",
    IReadOnlyList<Guid>? SignerContactIds = null,
    DateOnly? StartDate = null,
    DateOnly? EndDate = null,
    string? PaymentTerms = null,
    string? KeyClauses = null,
    string? Notes = null,
    IReadOnlyList<ContractLineRequest>? Lines = null,
    int? Version = null);

public sealed record TerminateContractRequest(string? Reason = null);

public sealed record ContractLineDto(Guid Id, int SortOrder, Guid? ProductId, string? ProductCode, string Description, string? Unit,
    decimal Quantity, long UnitPriceMinor, decimal DiscountPercent, long LineTotalMinor);

public sealed record ContractSignerDto(Guid ContactId, string Name, string? Title);

public sealed record ContractMilestoneDto(Guid Id, int SortOrder, string Name, DateOnly? PlannedDate, DateOnly? ActualDate, string? Notes, int Version);

public sealed record ContractMilestoneRequest(string Name, DateOnly? PlannedDate = null, DateOnly? ActualDate = null, string? Notes = null,
    int? SortOrder = null, int? Version = null);

/// <summary>One step of an approval round of the contract: who decides, how and when.</summary>
public sealed record ContractApprovalStepDto(int StepNo, string Role, string? ApproverName, Platform.Approvals.ApprovalStatus Status,
    string? Comment, DateTime? DecidedAt);

/// <summary>One approval round (the current one last): its status, reason and steps.</summary>
public sealed record ContractApprovalDto(Guid Id, Platform.Approvals.ApprovalStatus Status, string Reason, DateTime RequestedAt,
    DateTime? DecidedAt, string? RequestedByName, IReadOnlyList<ContractApprovalStepDto> Steps)
{
    /// <summary>The caller may take this pending round back now (its requester, or an Admin).</summary>
    public bool CanWithdraw { get; init; }
}

/// <summary>A contract as the API and its page show it; <see cref="CanChange"/>: the caller may edit it and run its commands.</summary>
public sealed record ContractDto(
    Guid Id,
    string Number,
    string Title,
    ContractStatus Status,
    Guid CustomerId,
    string? CustomerName,
    Guid? OpportunityId,
    string? OpportunityName,
    Guid? QuoteId,
    string? QuoteNumber,
    long AmountMinor,
    string Currency,
    DateOnly? SigningDate,
    DateOnly? StartDate,
    DateOnly? EndDate,
    string? PaymentTerms,
    string? KeyClauses,
    string? Notes,
    Guid? OwnerId,
    string? OwnerName,
    DateTime? SignedAt,
    string? SignedByName,
    DateTime? ArchivedAt,
    DateTime? CompletedAt,
    DateTime? TerminatedAt,
    string? TerminationReason,
    long ReceivedMinor,
    long InvoicedMinor,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version,
    IReadOnlyList<ContractLineDto> Lines,
    IReadOnlyList<ContractSignerDto> Signers,
    IReadOnlyList<ContractMilestoneDto> Milestones,
    IReadOnlyList<AttachmentDto> Attachments,
    IReadOnlyList<ContractApprovalDto> Approvals,
    bool CanChange,
    bool CanTerminate);

/// <summary>A row of the contract list.</summary>
public sealed record ContractListItem(
    Guid Id,
    string Number,
    string Title,
    ContractStatus Status,
    Guid CustomerId,
    string? CustomerName,
    long AmountMinor,
    string Currency,
    DateOnly? SigningDate,
    DateOnly? EndDate,
    Guid? OwnerId,
    string? OwnerName,
    long ReceivedMinor,
    DateTime UpdatedAt);
