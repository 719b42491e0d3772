using System.Globalization;
using System.Resources;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Files;
using LeadToCash.Platform.Localization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadToCash.Modules.FollowUps.LogFollowUp;

/// <summary>
/// A follow-up to record: when the contact happened (default now; UTC unless the time carries an offset), how, who took
/// part (contacts of the customer, active colleagues), what was said and what comes next.
/// </summary>
public sealed record LogFollowUpRequest(
    FollowUpMethod? Method,
    string? KeyPoints,
    DateTime? OccurredAt = null,
    string? CustomerFeedback = null,
    string? NextStep = null,
    DateTime? NextFollowUpAt = null,
    IReadOnlyList<Guid>? ContactIds = null,
    IReadOnlyList<Guid>? ColleagueIds = null);

/// <summary>Someone who can take part in a follow-up: a contact of the customer or an active colleague.</summary>
public sealed record FollowUpParticipantChoice(Guid Id, string Name, string? Detail);

/// <summary>What the log dialog offers: the customer's contacts and the active colleagues.</summary>
public sealed record FollowUpChoices(IReadOnlyList<FollowUpParticipantChoice> Contacts, IReadOnlyList<FollowUpParticipantChoice> Colleagues);

public sealed class LogFollowUpValidator : AbstractValidator<LogFollowUpRequest>
{
    public LogFollowUpValidator()
    {
        RuleFor(x => x.Method).NotNull().IsInEnum();
        RuleFor(x => x.KeyPoints).NotEmpty().MaximumLength(4000);
        RuleFor(x => x.CustomerFeedback).MaximumLength(4000);
        RuleFor(x => x.NextStep).MaximumLength(1000);
        RuleFor(x => x.ContactIds!.Count).LessThanOrEqualTo(FollowUpRules.MaxParticipants).When(x => x.ContactIds is not null)
            .OverridePropertyName("contactIds");
        RuleFor(x => x.ColleagueIds!.Count).LessThanOrEqualTo(FollowUpRules.MaxParticipants).When(x => x.ColleagueIds is not null)
            .OverridePropertyName("colleagueIds");
    }
}

/// <summary>
/// Records a follow-up with its files, in one transaction: the record, its participants and attachments, the customer's
/// follow-up clocks (last contact, next planned contact, the cadence due date — which also restarts the pool clock), the
/// reminder task for the next date, and the completion of the author's earlier reminders for this customer that the
/// contact answers. A record entered more than the company's late window after the contact is kept and marked late.
/// </summary>
public sealed class LogFollowUpHandler(IDbContextFactory<AppDbContext> dbFactory, FileStore fileStore, TimeProvider clock)
{
    private static readonly LogFollowUpValidator Validator = new();
    private static readonly ResourceManager Resources = new(typeof(SharedResource));

    public async Task<FollowUpDto> HandleAsync(CurrentUser user, Guid customerId, LogFollowUpRequest request,
        IReadOnlyList<FileUpload>? files = null, CancellationToken ct = default)
    {
        user.Require(Permissions.FollowUpsLog);
        files ??= [];
        var now = clock.GetUtcNow().UtcDateTime;
        var occurredAt = FollowUpRules.ToUtc(request.OccurredAt) ?? now;
        var nextAt = FollowUpRules.ToUtc(request.NextFollowUpAt);
        var failures = (await Validator.ValidateAsync(request, ct)).Errors.ToList();
        if (occurredAt > now + FollowUpRules.FutureTolerance)
        {
            failures.Add(new ValidationFailure("occurredAt", "A follow-up cannot be dated in the future."));
        }

        if (nextAt is { } next && next <= occurredAt)
        {
            failures.Add(new ValidationFailure("nextFollowUpAt", "The next follow-up must be after this one."));
        }

        if (files.Count > FollowUpRules.MaxFiles)
        {
            failures.Add(new ValidationFailure("files", $"At most {FollowUpRules.MaxFiles} files per follow-up."));
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct)
            ?? throw new NotFoundException("The customer");
        if (!await RecordAccess.CanChangeAsync(db, user, customer, ct))
        {
            throw new ForbiddenException("You can see this customer but may not log follow-ups on it.");
        }

        var contactIds = (request.ContactIds ?? []).Distinct().ToList();
        var colleagueIds = (request.ColleagueIds ?? []).Distinct().ToList();
        await CheckParticipantsAsync(db, customerId, contactIds, colleagueIds, ct);

        var rules = await CustomerRulebook.LoadAsync(db, ct);
        var followUp = new FollowUp
        {
            CustomerId = customerId,
            OccurredAt = occurredAt,
            Method = request.Method!.Value,
            KeyPoints = request.KeyPoints!.Trim(),
            CustomerFeedback = Clean(request.CustomerFeedback),
            NextStep = Clean(request.NextStep),
            NextFollowUpAt = nextAt,
            AuthorId = user.Id,
            RecordedAt = now,
            IsLate = CustomerRules.IsLateRecord(occurredAt, now, rules.Settings),
        };
        db.FollowUps.Add(followUp);
        db.FollowUpParticipants.AddRange(contactIds.Select(id => new FollowUpParticipant { FollowUpId = followUp.Id, ContactId = id }));
        db.FollowUpParticipants.AddRange(colleagueIds.Select(id => new FollowUpParticipant { FollowUpId = followUp.Id, UserId = id }));

        if (nextAt is { } due)
        {
            var culture = await db.CompanySettings.AsNoTracking().Select(c => c.DefaultCulture).FirstOrDefaultAsync(ct) ?? "zh-CN";
            var reminder = new WorkTask
            {
                Title = ReminderTitle(customer.Name, culture),
                Content = followUp.NextStep,
                Kind = WorkTaskKind.FollowUpReminder,
                OwnerId = user.Id,
                RelatedType = Customer.RecordType,
                RelatedId = customerId,
                DueAt = due,
                FollowUpId = followUp.Id,
            };
            db.Tasks.Add(reminder);
            followUp.ReminderTaskId = reminder.Id;
        }

        await CompleteAnsweredRemindersAsync(db, user, customerId, occurredAt, now, ct);
        ApplyClocks(customer, followUp, rules);

        var staged = new List<StagedFile>();
        try
        {
            foreach (var file in files)
            {
                staged.Add(await fileStore.StageAsync(db, FollowUp.RecordType, followUp.Id, file, now, "files", ct));
            }

            await SaveAsync(db, customer, followUp, rules, ct);
            staged.ForEach(s => s.Commit());
        }
        finally
        {
            foreach (var file in staged)
            {
                await file.DisposeAsync();
            }
        }

        var row = await db.FollowUps.AsNoTracking().Where(f => f.Id == followUp.Id).Select(FollowUpReader.Projection).SingleAsync(ct);
        return (await FollowUpReader.CompleteAsync(db, user, [row], now, ct))[0];
    }

    /// <summary>The contacts of a customer the caller may log on, and the active colleagues, for the log dialog.</summary>
    public async Task<FollowUpChoices> ChoicesAsync(CurrentUser user, Guid customerId, CancellationToken ct = default)
    {
        user.Require(Permissions.FollowUpsLog);
        await using var db = await dbFactory.OpenAsync(user, ct);
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            throw new NotFoundException("The customer");
        }

        var contacts = await db.Contacts.AsNoTracking().Where(c => c.CustomerId == customerId)
            .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.Name)
            .Select(c => new FollowUpParticipantChoice(c.Id, c.Name, c.Title))
            .ToListAsync(ct);
        var colleagues = await db.Users.AsNoTracking().Where(u => u.IsActive && u.Id != user.Id)
            .OrderBy(u => u.DisplayName)
            .Select(u => new FollowUpParticipantChoice(u.Id, u.DisplayName, db.Teams.Where(t => t.Id == u.TeamId).Select(t => t.Name).FirstOrDefault()))
            .ToListAsync(ct);
        return new FollowUpChoices(contacts, colleagues);
    }

    /// <summary>The reminder's title in the company's language (the task belongs to the company's records, not to one reader).</summary>
    public static string ReminderTitle(string customerName, string culture)
    {
        CultureInfo info;
        try
        {
            info = CultureInfo.GetCultureInfo(culture);
        }
        catch (CultureNotFoundException)
        {
            info = CultureInfo.InvariantCulture;
        }

        var format = Resources.GetString("FollowUps.ReminderTitle", info) ?? "Follow up: {0}";
        var title = string.Format(info, format, customerName);
        return title.Length <= 200 ? title : title[..199] + "…";
    }

    /// <summary>
    /// The customer's clocks after this record: the last contact moves forward only; the next planned contact is the
    /// latest record's (a later record without one clears it); the cadence due date follows from the last contact.
    /// </summary>
    internal static void ApplyClocks(Customer customer, FollowUp followUp, CustomerRulebook rules)
    {
        if (customer.LastFollowUpAt is not { } last || followUp.OccurredAt >= last)
        {
            customer.LastFollowUpAt = followUp.OccurredAt;
            customer.NextFollowUpAt = followUp.NextFollowUpAt;
        }

        CustomerRules.RefreshCadence(customer, rules);
    }

    // A contact after a reminder was set answers it: the author's open reminders for this customer are done.
    private static async Task CompleteAnsweredRemindersAsync(AppDbContext db, CurrentUser user, Guid customerId, DateTime occurredAt,
        DateTime now, CancellationToken ct)
    {
        var answered = await db.Tasks
            .Where(t => t.Kind == WorkTaskKind.FollowUpReminder && t.OwnerId == user.Id && t.RelatedId == customerId
                && t.Status == WorkTaskStatus.Open && t.CreatedAt <= occurredAt)
            .ToListAsync(ct);
        foreach (var task in answered)
        {
            task.Status = WorkTaskStatus.Done;
            task.CompletedAt = now;
        }
    }

    private static async Task CheckParticipantsAsync(AppDbContext db, Guid customerId, List<Guid> contactIds, List<Guid> colleagueIds,
        CancellationToken ct)
    {
        var failures = new List<ValidationFailure>();
        if (contactIds.Count > 0)
        {
            var found = await db.Contacts.Where(c => c.CustomerId == customerId && contactIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
            if (found.Count != contactIds.Count)
            {
                failures.Add(new ValidationFailure("contactIds", "Participants must be contacts of this customer."));
            }
        }

        if (colleagueIds.Count > 0)
        {
            var found = await db.Users.Where(u => u.IsActive && colleagueIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct);
            if (found.Count != colleagueIds.Count)
            {
                failures.Add(new ValidationFailure("colleagueIds", "Colleagues must be active users."));
            }
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }

    // Two follow-ups on one customer at once both move its clocks: the second save meets a newer version and is applied
    // again on top of it, rather than failing a record that conflicts with nothing the user typed.
    private static async Task SaveAsync(AppDbContext db, Customer customer, FollowUp followUp, CustomerRulebook rules, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException e) when (attempt < 3)
            {
                foreach (var history in db.ChangeTracker.Entries<AuditEntry>().Where(h => h.State == EntityState.Added).ToList())
                {
                    history.State = EntityState.Detached;
                }

                foreach (var entry in e.Entries)
                {
                    await entry.ReloadAsync(ct);
                }

                if (db.Entry(customer).State == EntityState.Detached)
                {
                    throw new NotFoundException("The customer");
                }

                ApplyClocks(customer, followUp, rules);
            }
        }
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>Reads the log request from JSON or from a multipart form with files.</summary>
internal static class LogFollowUpBody
{
    public static async Task<(LogFollowUpRequest Request, List<FileUpload> Files)> ReadAsync(HttpRequest http, JsonSerializerOptions json,
        CancellationToken ct)
    {
        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync(ct);
            var failures = new List<ValidationFailure>();
            var request = new LogFollowUpRequest(
                Enum<FollowUpMethod>(form, "method", failures),
                Text(form, "keyPoints"),
                Time(form, "occurredAt", failures),
                Text(form, "customerFeedback"),
                Text(form, "nextStep"),
                Time(form, "nextFollowUpAt", failures),
                Ids(form, "contactIds", failures),
                Ids(form, "colleagueIds", failures));
            var unknown = form.Keys.Where(k => !KnownFields.Contains(k)).ToList();
            failures.AddRange(unknown.Select(k => new ValidationFailure(k, "This field is not part of this operation.")));
            if (failures.Count > 0)
            {
                throw new ValidationException(failures);
            }

            var files = form.Files.Where(f => string.Equals(f.Name, "files", StringComparison.OrdinalIgnoreCase))
                .Select(f => new FileUpload(f.FileName, f.OpenReadStream()))
                .ToList();
            if (files.Count != form.Files.Count)
            {
                throw new ValidationException([new ValidationFailure("files", "Send the files in the multipart field 'files'.")]);
            }

            return (request, files);
        }

        if (http.HasJsonContentType())
        {
            try
            {
                var request = await http.ReadFromJsonAsync<LogFollowUpRequest>(json, ct)
                    ?? throw new ValidationException([new ValidationFailure("body", "The body is empty.")]);
                return (request, []);
            }
            catch (JsonException e)
            {
                // The same problem (field named, 400) as for a body the framework reads itself.
                throw new BadHttpRequestException("The body could not be read.", StatusCodes.Status400BadRequest, e);
            }
        }

        throw new ValidationException([new ValidationFailure("body",
            "Send the follow-up as JSON (application/json), or as multipart/form-data with its files in the field 'files'.")]);
    }

    private static readonly HashSet<string> KnownFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "method", "keyPoints", "occurredAt", "customerFeedback", "nextStep", "nextFollowUpAt", "contactIds", "colleagueIds",
    };

    private static string? Text(IFormCollection form, string name) =>
        form.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

    private static TEnum? Enum<TEnum>(IFormCollection form, string name, List<ValidationFailure> failures) where TEnum : struct, Enum
    {
        var text = Text(form, name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (System.Enum.TryParse<TEnum>(text.Trim(), ignoreCase: true, out var value) && System.Enum.IsDefined(value))
        {
            return value;
        }

        failures.Add(new ValidationFailure(name, $"'{text}' is not one of: {string.Join(", ", System.Enum.GetNames<TEnum>())}."));
        return null;
    }

    private static DateTime? Time(IFormCollection form, string name, List<ValidationFailure> failures)
    {
        var text = Text(form, name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // An offset or 'Z' is honoured; a time without either is UTC (as in JSON).
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value.UtcDateTime;
        }

        failures.Add(new ValidationFailure(name, "Send an ISO 8601 date and time, e.g. 2026-11-25T10:30:00+08:00."));
        return null;
    }

    private static List<Guid>? Ids(IFormCollection form, string name, List<ValidationFailure> failures)
    {
        if (!form.TryGetValue(name, out var values))
        {
            return null;
        }

        var ids = new List<Guid>();
        foreach (var part in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Guid.TryParse(part, out var id))
            {
                ids.Add(id);
            }
            else
            {
                failures.Add(new ValidationFailure(name, $"'{part}' is not an id."));
            }
        }

        return ids;
    }
}

public static class LogFollowUpEndpoint
{
    /// <summary>Large enough for several phone photos; each file is still held to Files:MaxBytes.</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    public static void MapLogFollowUp(this RouteGroupBuilder customers) =>
        customers.MapPost("/{id:guid}/follow-ups", async (Guid id, HttpRequest http, CurrentUser user, LogFollowUpHandler handler,
                IOptions<JsonOptions> json, CancellationToken ct) =>
            {
                // Several phone photos exceed the server-wide body limit; each file is still held to Files:MaxBytes.
                if (http.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = MaxBodyBytes;
                }

                var (request, files) = await LogFollowUpBody.ReadAsync(http, json.Value.SerializerOptions, ct);
                try
                {
                    var logged = await handler.HandleAsync(user, id, request, files, ct);
                    return TypedResults.Created($"/api/v1/follow-ups/{logged.Id}", logged);
                }
                finally
                {
                    foreach (var file in files)
                    {
                        await file.Content.DisposeAsync();
                    }
                }
            })
            .RequireAuthorization(Permissions.FollowUpsLog)
            .DisableAntiforgery()
            .Accepts<LogFollowUpRequest>("application/json", "multipart/form-data")
            .Produces<FollowUpDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("LogFollowUp")
            .WithSummary("Log a follow-up (跟进记录) of a customer: JSON without files, or multipart/form-data with files.")
            .WithDescription(
                "JSON: {\"method\":\"Visit\",\"keyPoints\":\"…\",\"occurredAt\":\"2026-11-25T10:30:00+08:00\",\"customerFeedback\":\"…\"," +
                "\"nextStep\":\"…\",\"nextFollowUpAt\":\"…\",\"contactIds\":[…],\"colleagueIds\":[…]}. " +
                "Multipart: the same names as form fields (repeat contactIds/colleagueIds, or separate them with commas) and up to " +
                "10 files in the field 'files' (jpg, png, gif, webp, pdf, docx, xlsx, pptx, txt, csv; content checked; Files:MaxBytes each, " +
                "default 10 MB). Times without an offset are UTC; occurredAt defaults to now and may not be in the future; " +
                "nextFollowUpAt must be after occurredAt and creates a reminder task for the author. A record entered more than the " +
                "company's late window (default 120 minutes) after the contact is marked isLate. Needs the right to change the " +
                "customer (owner, edit share, manager); file errors name the field 'files'.");
}
