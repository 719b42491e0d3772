using System.Text.RegularExpressions;
using LeadToCash.Platform.Localization;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Components.Shared;

/// <summary>
/// Handlers explain refusals in English (the API's language). The UI shows the ones people meet in its own
/// language; a message not listed here is shown as the handler wrote it, so a reworded message degrades to English
/// instead of disappearing.
/// </summary>
public static partial class KnownErrors
{
    private static readonly (Regex Pattern, string Key)[] Messages =
    [
        (TeamCycle(), "Org.Error.TeamCycle"),
        (ParentRequired(), "Org.Error.ParentRequired"),
        (CompanyStaysTop(), "Org.Error.CompanyStaysTop"),
        (ParentMissing(), "Org.Error.ParentMissing"),
        (HeadInactive(), "Org.Error.HeadInactive"),
        (EmailTaken(), "Org.Error.EmailTaken"),
        (OwnAdminRole(), "Org.Error.OwnAdminRole"),
        (TeamMissing(), "Org.Error.TeamMissing"),
        (DeactivateSelf(), "Org.Error.DeactivateSelf"),
        (ReactivateErased(), "Org.Error.ReactivateErased"),
        (EraseSelf(), "Org.Error.EraseSelf"),
        (AlreadyErased(), "Org.Error.AlreadyErased"),
        (CodeTaken(), "Settings.Error.CodeTaken"),
        (CodeFormat(), "Settings.Error.CodeFormat"),
        (CodeFixed(), "Settings.Error.CodeFixed"),
        (ImportDate(), "Settings.Error.ImportDate"),
        (ImportName(), "Settings.Error.ImportName"),
        (ImportEmpty(), "Settings.Error.ImportEmpty"),
        (ImportType(), "Settings.Error.ImportType"),
        (ImportUnreadable(), "Settings.Error.ImportUnreadable"),
        (WorkdayEnd(), "Settings.Error.WorkdayEnd"),
        (LeadClaimedBy(), "Leads.Error.ClaimedBy"),
        (LeadOwnedByYou(), "Leads.Error.OwnedByYou"),
        (LeadAwaitingScreening(), "Leads.Error.AwaitingScreening"),
        (LeadClaimLimit(), "Leads.Error.ClaimLimit"),
        (LeadClosed(), "Leads.Error.Closed"),
        (LeadDuplicate(), "Leads.Error.Duplicate"),
        (LeadNeedsName(), "Leads.Error.NeedsName"),
        (LeadAssignTeams(), "Leads.Error.AssignTeams"),
        (LeadInvisibleCustomer(), "Leads.Error.InvisibleCustomer"),
        (CustomerOwnParent(), "Customers.Error.OwnParent"),
        (CustomerParentMissing(), "Customers.Error.ParentMissing"),
        (CustomerParentLoop(), "Customers.Error.ParentLoop"),
        (ShareInactive(), "Customers.Error.ColleagueInactive"),
        (ShareOwner(), "Customers.Error.ShareOwner"),
        (ContactReportsToSelf(), "Contacts.Error.ReportsToSelf"),
        (ContactReportsToOther(), "Contacts.Error.ReportsToOther"),
        (ContactReportsToLoop(), "Contacts.Error.ReportsToLoop"),
        (NeedsMeetingFuture(), "Needs.Error.MeetingFuture"),
        (NeedsBeforeMeeting(), "Needs.Error.BeforeMeeting"),
        (NeedsFuture(), "Needs.Error.Future"),
        (NeedsMeetingAfterSent(), "Needs.Error.MeetingAfterSent"),
        (NeedsMeetingAfterConfirmed(), "Needs.Error.MeetingAfterConfirmed"),
        (NeedsHow(), "Needs.Error.How"),
        (PlanPercentages(), "Payments.Error.PlanPercentages"),
        (PlanTotal(), "Payments.Error.PlanTotal"),
        (PlanPaidRemoved(), "Payments.Error.PaidRemoved"),
        (PlanPaidChanged(), "Payments.Error.PaidChanged"),
        (PlanNotSigned(), "Payments.Error.NotSigned"),
        (ReceiptsNotSigned(), "Payments.Error.ReceiptsNotSigned"),
        (AllocationTooMuch(), "Payments.Error.AllocationTooMuch"),
        (AllocationsOverReceipt(), "Payments.Error.AllocationsOverReceipt"),
        (InvoiceNumberTaken(), "Invoices.Error.NumberTaken"),
        (InvoicesOverAmount(), "Invoices.Error.OverAmount"),
        (CustomerClaimedBy(), "Pool.Error.ClaimedBy"),
        (CustomerOwnedByYou(), "Pool.Error.OwnedByYou"),
        (CustomerClaimLimit(), "Pool.Error.ClaimLimit"),
        (CustomerPoolNotYours(), "Pool.Error.NotYourPool"),
        (CustomerAssignTeams(), "Pool.Error.AssignTeams"),
        (HandOverNoRecipients(), "HandOver.Error.NoRecipients"),
        (HandOverInactiveRecipient(), "HandOver.Error.InactiveRecipient"),
        (HandOverRecipientOutside(), "HandOver.Error.RecipientOutside"),
        (HandOverOwn(), "HandOver.Error.Own"),
        .. Pages.Contracts.ContractErrors.Messages,
    ];

    /// <summary>The message in the user's language when it is a known one; the captured parts fill its placeholders.</summary>
    public static string Localize(IStringLocalizer<SharedResource> strings, string message)
    {
        foreach (var (pattern, key) in Messages)
        {
            var match = pattern.Match(message);
            if (match.Success)
            {
                var arguments = match.Groups.Values.Skip(1).Select(g => (object)g.Value).ToArray();
                var localized = strings[key, arguments];
                return localized.ResourceNotFound ? message : localized.Value;
            }
        }

        return message;
    }

    [GeneratedRegex(@"^A team cannot be placed under itself or one of its own sub-teams\.$")]
    private static partial Regex TeamCycle();

    [GeneratedRegex(@"^Only the company has no parent team; choose a parent\.$")]
    private static partial Regex ParentRequired();

    [GeneratedRegex(@"^The company stays at the top of the tree; other teams need a parent\.$")]
    private static partial Regex CompanyStaysTop();

    [GeneratedRegex(@"^The parent team does not exist\.$")]
    private static partial Regex ParentMissing();

    [GeneratedRegex(@"^The head must be an active user\.$")]
    private static partial Regex HeadInactive();

    [GeneratedRegex(@"^A user with this e-mail already exists\.$")]
    private static partial Regex EmailTaken();

    [GeneratedRegex(@"^You cannot take the Admin role away from yourself\.$")]
    private static partial Regex OwnAdminRole();

    [GeneratedRegex(@"^The team does not exist\.$")]
    private static partial Regex TeamMissing();

    [GeneratedRegex(@"^You cannot deactivate yourself\.$")]
    private static partial Regex DeactivateSelf();

    [GeneratedRegex(@"^An erased user cannot be reactivated\.$")]
    private static partial Regex ReactivateErased();

    [GeneratedRegex(@"^You cannot erase your own account; ask another Admin\.$")]
    private static partial Regex EraseSelf();

    [GeneratedRegex(@"^This person's data has already been erased\.$")]
    private static partial Regex AlreadyErased();

    [GeneratedRegex(@"^The list already has the code '(.+)'\.$")]
    private static partial Regex CodeTaken();

    [GeneratedRegex(@"^The code uses lower-case letters, digits, \+ and -\.$")]
    private static partial Regex CodeFormat();

    [GeneratedRegex(@"^The code of an option cannot change; add a new option instead\.$")]
    private static partial Regex CodeFixed();

    [GeneratedRegex(@"^Row (\d+): '(.*)' is not a date \(yyyy-MM-dd\)\.$")]
    private static partial Regex ImportDate();

    [GeneratedRegex(@"^Row (\d+): the name is empty\.$")]
    private static partial Regex ImportName();

    [GeneratedRegex(@"^The file has no rows\.$")]
    private static partial Regex ImportEmpty();

    [GeneratedRegex(@"^Upload a \.csv or \.xlsx file\.$")]
    private static partial Regex ImportType();

    [GeneratedRegex(@"^The file could not be read as (\S+): (.*)$", RegexOptions.Singleline)]
    private static partial Regex ImportUnreadable();

    [GeneratedRegex(@"^The working day must end after it starts\.$")]
    private static partial Regex WorkdayEnd();

    [GeneratedRegex(@"^This lead has already been claimed by (.+)\.$")]
    private static partial Regex LeadClaimedBy();

    [GeneratedRegex(@"^You already own this lead\.$")]
    private static partial Regex LeadOwnedByYou();

    [GeneratedRegex(@"^This lead is waiting for screening; it can be claimed once it is screened\.$")]
    private static partial Regex LeadAwaitingScreening();

    [GeneratedRegex(@"^You already have (\d+) open leads, the most the company allows \((\d+)\)\. Work or release some first\.$")]
    private static partial Regex LeadClaimLimit();

    [GeneratedRegex(@"^This lead is closed \((\w+)\)\.$")]
    private static partial Regex LeadClosed();

    [GeneratedRegex(@"^This lead duplicates the (\w+) ""(.+)"" \(same (\w+)\)")]
    private static partial Regex LeadDuplicate();

    [GeneratedRegex(@"^A lead needs a company or a contact name\.$")]
    private static partial Regex LeadNeedsName();

    [GeneratedRegex(@"^You may only (?:assign leads|give leads) .*teams you manage\.$")]
    private static partial Regex LeadAssignTeams();

    [GeneratedRegex(@"^This lead matches the customer ""(.+)"" \(same (\w+)\).*which you cannot see\.")]
    private static partial Regex LeadInvisibleCustomer();

    [GeneratedRegex(@"^A company cannot be its own parent company\.$")]
    private static partial Regex CustomerOwnParent();

    [GeneratedRegex(@"^The parent company does not exist or you cannot see it\.$")]
    private static partial Regex CustomerParentMissing();

    [GeneratedRegex(@"^The parent company is one of this company's own subsidiaries\.$")]
    private static partial Regex CustomerParentLoop();

    [GeneratedRegex(@"^The colleague is not an active user\.$")]
    private static partial Regex ShareInactive();

    [GeneratedRegex(@"^The owner sees and changes the customer already\.$")]
    private static partial Regex ShareOwner();

    [GeneratedRegex(@"^A contact cannot report to themselves\.$")]
    private static partial Regex ContactReportsToSelf();

    [GeneratedRegex(@"^The manager must be another contact of the same customer\.$")]
    private static partial Regex ContactReportsToOther();

    [GeneratedRegex(@"^The manager reports to this contact \(directly or further down\), which would make a loop\.$")]
    private static partial Regex ContactReportsToLoop();

    [GeneratedRegex(@"^The meeting cannot be in the future: write the analysis after it\.$")]
    private static partial Regex NeedsMeetingFuture();

    [GeneratedRegex(@"^This cannot be before the meeting\.$")]
    private static partial Regex NeedsBeforeMeeting();

    [GeneratedRegex(@"^This cannot be in the future\.$")]
    private static partial Regex NeedsFuture();

    [GeneratedRegex(@"^The meeting cannot be after the analysis was sent\.$")]
    private static partial Regex NeedsMeetingAfterSent();

    [GeneratedRegex(@"^The meeting cannot be after the customer confirmed the analysis\.$")]
    private static partial Regex NeedsMeetingAfterConfirmed();

    [GeneratedRegex(@"^Say how the customer confirmed \(e-mail, WeChat, signature…\), in at most 200 characters\.$")]
    private static partial Regex NeedsHow();
    [GeneratedRegex(@"^This customer has already been claimed by (.+)\.$")]
    private static partial Regex CustomerClaimedBy();

    [GeneratedRegex(@"^You already own this customer\.$")]
    private static partial Regex CustomerOwnedByYou();

    [GeneratedRegex(@"^You already own (\d+) customers, the most your team allows \((\d+)\)\.")]
    private static partial Regex CustomerClaimLimit();

    [GeneratedRegex(@"^You can claim customers only from the pools of your own teams\.$")]
    private static partial Regex CustomerPoolNotYours();

    [GeneratedRegex(@"^You may only assign customers (?:of the teams you manage|to people in the teams you manage)\.$")]
    private static partial Regex CustomerAssignTeams();

    [GeneratedRegex(@"^Choose at least one colleague to receive the work")]
    private static partial Regex HandOverNoRecipients();

    [GeneratedRegex(@"^Every recipient must be an active user\.$")]
    private static partial Regex HandOverInactiveRecipient();

    [GeneratedRegex(@"^(.+) is not in the teams you manage\.$")]
    private static partial Regex HandOverRecipientOutside();

    [GeneratedRegex(@"^You cannot hand over your own records")]
    private static partial Regex HandOverOwn();
}
