using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;

namespace LeadToCash.Platform.Approvals;

/// <summary>
/// What the approver is asked about, as the inbox shows it: a title, where the record is, its amount and (when one
/// request is read) the record's own detail (e.g. a quote with its lines and totals). <see cref="Link"/> is null when the
/// reader cannot open the record: an approver outside its data scope (a delegate or a role holder of another team) decides
/// on <see cref="CustomerName"/>, the amount, the reason and <see cref="Lines"/> instead.
/// </summary>
public sealed record ApprovalSubjectSummary(string Title, string? Link, long? AmountMinor, string? Currency, object? Detail = null)
{
    /// <summary>The customer the document is for.</summary>
    public string? CustomerName { get; init; }

    /// <summary>The document's lines, when one request is read and the document has lines.</summary>
    public IReadOnlyList<ApprovalSubjectLine>? Lines { get; init; }
}

/// <summary>A line of the document in the approver's summary (amounts in minor units of the document's currency).</summary>
public sealed record ApprovalSubjectLine(string Description, string? Unit, decimal Quantity, long UnitPriceMinor, decimal DiscountPercent,
    long LineTotalMinor);

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
    /// The essentials of records an approver must decide on but cannot open (outside their data scope): title, customer,
    /// amount and, <paramref name="withLines"/>, the lines — no link and no detail. <paramref name="db"/> sees every record:
    /// the inbox asks only for records whose request waits on the reader's step (or whose step the reader decided).
    /// </summary>
    Task<IReadOnlyDictionary<Guid, ApprovalSubjectSummary>> DescribeEssentialsAsync(AppDbContext db, IReadOnlyCollection<Guid> recordIds,
        bool withLines, CancellationToken ct);

    /// <summary>
    /// The request was approved (every step), rejected (by <paramref name="decider"/>, with the comment) or withdrawn by the
    /// requester (Cancelled): the record leaves its approval state. <paramref name="db"/> sees the record, also when the
    /// decider is an approver outside its data scope.
    /// </summary>
    Task OnDecidedAsync(AppDbContext db, CurrentUser decider, ApprovalRequest request, string? comment, CancellationToken ct);
}
