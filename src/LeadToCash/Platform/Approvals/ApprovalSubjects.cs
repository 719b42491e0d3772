using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;

namespace LeadToCash.Platform.Approvals;

/// <summary>
/// What the approver is asked about, as the inbox shows it: a title, where the record is, its amount and (when one
/// request is read) the record's own detail (e.g. a quote with its lines and totals).
/// </summary>
public sealed record ApprovalSubjectSummary(string Title, string Link, long? AmountMinor, string? Currency, object? Detail = null);

/// <summary>
/// A kind of record that can be approved (register one per record type, e.g. quotes; later contracts). The approvals
/// inbox asks it to describe its records, and tells it when a request is finished, in the decision's unit of work.
/// </summary>
public interface IApprovalSubject
{
    string RecordType { get; }

    /// <summary>The document's fields an Admin's flow conditions may test (e.g. "amount" in major units, "discount" in percent).</summary>
    IReadOnlyList<string> ConditionFields => [];

    /// <summary>The records among <paramref name="recordIds"/> that the reader may see (the context is scoped to them).</summary>
    Task<IReadOnlyDictionary<Guid, ApprovalSubjectSummary>> DescribeAsync(AppDbContext db, CurrentUser reader,
        IReadOnlyCollection<Guid> recordIds, bool withDetail, CancellationToken ct);

    /// <summary>
    /// The request was approved (every step), rejected (by <paramref name="decider"/>, with the comment) or withdrawn by the
    /// requester (Cancelled): the record leaves its approval state.
    /// </summary>
    Task OnDecidedAsync(AppDbContext db, CurrentUser decider, ApprovalRequest request, string? comment, CancellationToken ct);
}
