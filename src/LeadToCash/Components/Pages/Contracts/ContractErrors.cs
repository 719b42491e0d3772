using System.Text.RegularExpressions;

namespace LeadToCash.Components.Pages.Contracts;

/// <summary>The contract refusals people meet on the pages, shown in their language (see KnownErrors).</summary>
public static partial class ContractErrors
{
    public static readonly (Regex Pattern, string Key)[] Messages =
    [
        (InApproval(), "Contracts.Error.InApproval"),
        (SignedOnlyNotes(), "Contracts.Error.SignedOnlyNotes"),
        (SigningDate(), "Contracts.Error.SigningDate"),
        (SigningDateFuture(), "Contracts.Error.SigningDateFuture"),
        (Scan(), "Contracts.Error.Scan"),
        (Reason(), "Contracts.Error.Reason"),
        (Title(), "Contracts.Error.Title"),
        (Customer(), "Contracts.Error.Customer"),
        (Amount(), "Contracts.Error.Amount"),
        (EndDate(), "Contracts.Error.EndDate"),
        (Lost(), "Contracts.Error.Lost"),
        (NoApprover(), "Contracts.Error.NoApprover"),
        (MilestoneName(), "Milestones.Error.Name"),
    ];

    [GeneratedRegex(@"^A contract in approval cannot change: withdraw it first\.$")]
    private static partial Regex InApproval();

    [GeneratedRegex(@"^Once signed, only the contract's notes and milestones can change\.$")]
    private static partial Regex SignedOnlyNotes();

    [GeneratedRegex(@"^Give the date the contract was signed\.$")]
    private static partial Regex SigningDate();

    [GeneratedRegex(@"^The signing date cannot be in the future\.$")]
    private static partial Regex SigningDateFuture();

    [GeneratedRegex(@"^Attach the signed scan of the contract \(pdf or image\)\.$")]
    private static partial Regex Scan();

    [GeneratedRegex(@"^Say why the contract is terminated \(at most (\d+) characters\)\.$")]
    private static partial Regex Reason();

    [GeneratedRegex(@"^The contract needs a title of at most (\d+) characters\.$")]
    private static partial Regex Title();

    [GeneratedRegex(@"^Give the opportunity or the customer of the contract\.$")]
    private static partial Regex Customer();

    [GeneratedRegex(@"^A contract needs an amount above 0 before it is submitted\.$")]
    private static partial Regex Amount();

    [GeneratedRegex(@"^The end date cannot be before the start date\.$")]
    private static partial Regex EndDate();

    [GeneratedRegex(@"^A lost opportunity gets no contract\.$")]
    private static partial Regex Lost();

    [GeneratedRegex(@"^No manager above the contract's owner can approve it\.$")]
    private static partial Regex NoApprover();

    [GeneratedRegex(@"^A milestone needs a name of at most (\d+) characters\.$")]
    private static partial Regex MilestoneName();
}
