using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Leads.WebForms;

/// <summary>
/// What a website visitor sends. Field names are the snippet's: company, name, title, mobile, phone, email, wechat,
/// need, and the optional qualification budget (e.g. 300000 or "30万") and timeframe (months, e.g. 3 or "半年");
/// homepage is the hidden honeypot; redirect (form posts only) is where to send the browser afterwards.
/// </summary>
public sealed record WebFormSubmission(string? Company, string? Name, string? Title, string? Mobile, string? Phone,
    string? Email, string? WeChat, string? Need, string? Homepage, string? Redirect, string? Budget = null, string? Timeframe = null)
{
    public static readonly IReadOnlyList<string> FieldNames =
        ["company", "name", "title", "mobile", "phone", "email", "wechat", "need", "budget", "timeframe", "homepage", "redirect"];

    public static WebFormSubmission From(Func<string, string?> field) => new(
        Clean(field("company")), Clean(field("name")), Clean(field("title")), Clean(field("mobile")), Clean(field("phone")),
        Clean(field("email")), Clean(field("wechat")), Clean(field("need")), Clean(field("homepage")), Clean(field("redirect")),
        Clean(field("budget")), Clean(field("timeframe")));

    /// <summary>A JSON object; unknown members are ignored (a site may send more than the snippet has), strings or numbers.</summary>
    public static WebFormSubmission FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException([new ValidationFailure("body", "The body must be a JSON object.")]);
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in body.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => throw new ValidationException([new ValidationFailure(property.Name, "This field must be text.")]),
            };
        }

        return From(name => values.GetValueOrDefault(name));
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The intake's view of a form: enough to check the caller and place the lead, nothing to show anyone.</summary>
public sealed record WebFormGate(Guid Id, string Name, string SourceChannel, Guid TeamId, string AllowedOrigins)
{
    public bool Allows(string? origin) => WebOrigins.Allows(AllowedOrigins, origin);
}

/// <summary>
/// Takes leads from website forms. The visitor has no account: the lead is captured in the system's name into the
/// form's team (its pool, or straight to a rep when the team lets the rules confirm grades). A duplicate is stored and
/// flagged even when the company blocks duplicates: a visitor cannot be turned away, and the answer must not reveal
/// whether someone is already known.
/// </summary>
public sealed partial class WebFormIntakeHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk,
    ILogger<WebFormIntakeHandler> logger)
{
    private static readonly LeadFieldsValidator Validator = new();

    private static readonly Dictionary<string, string> PublicNames = new(StringComparer.Ordinal)
    {
        [nameof(ILeadFields.CompanyName)] = "company",
        [nameof(ILeadFields.ContactName)] = "name",
        [nameof(ILeadFields.Title)] = "title",
        [nameof(ILeadFields.Mobile)] = "mobile",
        [nameof(ILeadFields.Phone)] = "phone",
        [nameof(ILeadFields.Email)] = "email",
        [nameof(ILeadFields.WeChat)] = "wechat",
        [nameof(ILeadFields.Need)] = "need",
    };

    /// <summary>The active form with this key, or null (unknown, retired and deleted forms look the same).</summary>
    public async Task<WebFormGate?> FindAsync(string key, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 64)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WebForms.AsNoTracking()
            .Where(f => f.Key == key && f.IsActive)
            .Select(f => new WebFormGate(f.Id, f.Name, f.SourceChannel, f.TeamId, f.AllowedOrigins))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>Validates and captures the submission; a filled honeypot is logged and dropped without a trace.</summary>
    public async Task SubmitAsync(WebFormGate form, WebFormSubmission submission, string? clientAddress, CancellationToken ct)
    {
        // First, so that a robot learns nothing from its answer: whatever else it sent, it is told "received".
        if (submission.Homepage is not null)
        {
            LogSpam(logger, form.Id, clientAddress ?? "unknown");
            return;
        }

        var fields = new SubmittedFields(form.SourceChannel, submission, desk.Now);
        var result = await Validator.ValidateAsync(fields, ct);
        if (!result.IsValid)
        {
            throw new ValidationException(result.Errors.Select(e =>
                new ValidationFailure(PublicNames.GetValueOrDefault(e.PropertyName, e.PropertyName), e.ErrorMessage) { ErrorCode = e.ErrorCode }));
        }

        // No user is behind a website post: the lead is written in the system's name (reviewed in the scope-bypass list).
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var rules = await LeadDesk.RulebookAsync(db, ct);
        var lead = new Lead
        {
            SourceChannel = form.SourceChannel,
            CompanyName = fields.CompanyName,
            ContactName = fields.ContactName,
            Title = fields.Title,
            Mobile = fields.Mobile,
            Phone = fields.Phone,
            Email = fields.Email,
            WeChat = fields.WeChat,
            Need = fields.Need,
            BudgetMinor = fields.BudgetMinor,
            PurchaseWithinMonths = fields.PurchaseWithinMonths,
            TeamId = form.TeamId,
            WebFormId = form.Id,
        };
        LeadDesk.Derive(lead, rules);
        if (await desk.FindDuplicateAsync(lead.PhoneKey, lead.EmailKey, lead.CompanyKey, null, ct) is { } duplicate)
        {
            lead.DuplicateOfLeadId = duplicate.RecordType == Lead.RecordType ? duplicate.Id : null;
            lead.DuplicateOfCustomerId = duplicate.RecordType == Lead.RecordType ? null : duplicate.Id;
            lead.DuplicateField = duplicate.Field;
        }

        await desk.CaptureAsync(db, lead, rules, ct);
        await db.SaveChangesAsync(ct);
        // A counter, not a change anyone edits: no version bump (an Admin editing the form is not refused for it), no history row.
        var now = desk.Now;
        await db.WebForms.Where(f => f.Id == form.Id)
            .ExecuteUpdateAsync(s => s
                .SetProperty(f => f.SubmissionCount, f => f.SubmissionCount + 1)
                .SetProperty(f => f.LastSubmissionAt, now), ct);
        LogCaptured(logger, form.Id, lead.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Web form {FormId}: honeypot filled by {Client}; the submission was dropped.")]
    private static partial void LogSpam(ILogger logger, Guid formId, string client);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web form {FormId} captured lead {LeadId}.")]
    private static partial void LogCaptured(ILogger logger, Guid formId, Guid leadId);

    // What the visitor says of budget and timeframe feeds the score rules; text that cannot be read is left out.
    private sealed class SubmittedFields(string sourceChannel, WebFormSubmission s, DateTime now) : ILeadFields
    {
        public string? SourceChannel => sourceChannel;
        public string? CompanyName => s.Company;
        public string? ContactName => s.Name;
        public string? Title => s.Title;
        public string? Mobile => s.Mobile;
        public string? Phone => s.Phone;
        public string? Email => s.Email;
        public string? WeChat => s.WeChat;
        public string? CompanySize => null;
        public string? Region => null;
        public string? Need => s.Need;
        public string? Notes => null;
        public string? Tags => null;
        public string? Industry => null;
        public long? BudgetMinor => ImportLeads.LeadValues.BudgetMinor(s.Budget);
        public int? PurchaseWithinMonths => ImportLeads.LeadValues.PurchaseWithinMonths(s.Timeframe, now);
        public bool DecisionMakerIdentified => false;
    }
}

/// <summary>
/// The public intake endpoint. Decisions (see docs/architecture.md, "Website forms"):
/// <list type="bullet">
/// <item>A browser request whose Origin is not one of the form's allowed origins is refused (403) and gets no CORS headers;
/// a request without an Origin (a server posting for its site) is accepted: the key is what admits it.</item>
/// <item>JSON gets 202 with <c>{"status":"received"}</c>; a form post gets 202 and a small thank-you page, or a 303 to its
/// <c>redirect</c> field when that address is on an allowed origin (any other redirect is ignored).</item>
/// <item>Validation errors are 400 problem+json naming the field (a browser form post that asks for HTML gets the same
/// messages as a page).</item>
/// <item>A filled honeypot answers exactly like an accepted post; nothing is stored.</item>
/// </list>
/// </summary>
public static class WebFormIntakeEndpoints
{
    public const string RateLimitPolicy = "web-form-intake";

    public static void MapWebFormIntake(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/public/forms").WithTags("Website forms (public)").AllowAnonymous();
        group.MapPost("/{key}/leads", PostAsync)
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery()
            .Accepts<WebFormSubmission>("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
            .Produces(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status303SeeOther)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("SubmitWebFormLead")
            .WithSummary("A website visitor's lead (JSON or a form post); anonymous, CORS for the form's allowed origins, rate-limited per client.");
        group.MapMethods("/{key}/leads", [HttpMethods.Options], PreflightAsync)
            .ExcludeFromDescription();
    }

    private static async Task<IResult> PreflightAsync(string key, HttpContext http, WebFormIntakeHandler handler, CancellationToken ct)
    {
        var form = await handler.FindAsync(key, ct);
        if (form is null)
        {
            return NotFound();
        }

        var origin = http.Request.Headers.Origin.ToString();
        if (!form.Allows(origin))
        {
            return OriginRefused();
        }

        AllowOrigin(http, origin);
        http.Response.Headers.AccessControlAllowMethods = "POST";
        http.Response.Headers.AccessControlAllowHeaders = "Content-Type";
        http.Response.Headers.AccessControlMaxAge = "600";
        return TypedResults.NoContent();
    }

    private static async Task<IResult> PostAsync(string key, HttpContext http, WebFormIntakeHandler handler,
        IStringLocalizer<SharedResource> strings, CancellationToken ct)
    {
        var form = await handler.FindAsync(key, ct);
        if (form is null)
        {
            return NotFound();
        }

        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            if (!form.Allows(origin))
            {
                return OriginRefused();
            }

            AllowOrigin(http, origin);
        }

        var isFormPost = http.Request.HasFormContentType;
        WebFormSubmission submission;
        try
        {
            submission = await ReadAsync(http.Request, isFormPost, ct);
            await handler.SubmitAsync(form, submission, http.Connection.RemoteIpAddress?.ToString(), ct);
        }
        catch (ValidationException e)
        {
            var errors = ProblemExceptionHandler.ErrorsByField(e);
            return isFormPost && WantsHtml(http.Request)
                ? Page(strings["WebForms.Public.InvalidTitle"], strings["WebForms.Public.Invalid"], errors.Values.SelectMany(v => v), StatusCodes.Status400BadRequest)
                : TypedResults.ValidationProblem(errors, title: "One or more fields are invalid.");
        }

        if (!isFormPost)
        {
            return TypedResults.Json(new { status = "received" }, statusCode: StatusCodes.Status202Accepted);
        }

        if (submission.Redirect is { } redirect && Uri.TryCreate(redirect, UriKind.Absolute, out var target)
            && form.Allows(WebOrigins.OriginOf(target)))
        {
            http.Response.Headers.Location = target.AbsoluteUri;
            return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
        }

        return Page(strings["WebForms.Public.ThanksTitle"], strings["WebForms.Public.Thanks"], [], StatusCodes.Status202Accepted);
    }

    private static async Task<WebFormSubmission> ReadAsync(HttpRequest request, bool isFormPost, CancellationToken ct)
    {
        if (isFormPost)
        {
            var form = await request.ReadFormAsync(ct);
            return WebFormSubmission.From(name => form.TryGetValue(name, out var value) ? value.ToString() : null);
        }

        if (request.HasJsonContentType())
        {
            try
            {
                using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
                return WebFormSubmission.FromJson(body.RootElement);
            }
            catch (JsonException e)
            {
                throw new ValidationException([new ValidationFailure("body",
                    string.Create(CultureInfo.InvariantCulture, $"The body is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1})."))]);
            }
        }

        throw new ValidationException([new ValidationFailure("body",
            "Send the fields as JSON (application/json) or as a form post (application/x-www-form-urlencoded or multipart/form-data).")]);
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static void AllowOrigin(HttpContext http, string origin)
    {
        http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.Vary = "Origin";
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "The form was not found.");

    private static ProblemHttpResult OriginRefused() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: "This website is not allowed to post to this form; an Admin can add its origin to the form's allowed origins.");

    /// <summary>A small self-contained page for a browser that posted the form without script.</summary>
    private static ContentHttpResult Page(string title, string message, IEnumerable<string> details, int status)
    {
        var html = new StringBuilder();
        var lang = CultureInfo.CurrentUICulture.Name;
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{WebUtility.HtmlEncode(lang)}\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<link rel=\"icon\" href=\"data:,\">"); // no favicon request: the page stands alone
        html.Append(CultureInfo.InvariantCulture, $"<title>{WebUtility.HtmlEncode(title)}</title>");
        html.Append("<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style>");
        html.Append(CultureInfo.InvariantCulture, $"</head><body><h1>{WebUtility.HtmlEncode(title)}</h1><p id=\"message\">{WebUtility.HtmlEncode(message)}</p>");
        var list = details.ToList();
        if (list.Count > 0)
        {
            html.Append("<ul>");
            foreach (var detail in list)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{WebUtility.HtmlEncode(detail)}</li>");
            }

            html.Append("</ul>");
        }

        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
