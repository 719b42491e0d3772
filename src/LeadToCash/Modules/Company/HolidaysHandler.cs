using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using FluentValidation;
using ValidationException = FluentValidation.ValidationException;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LeadToCash.Modules.Company;

public sealed record HolidayDto(Guid Id, DateOnly Date, string Name, bool IsWorkingDay, int Version);

public sealed record SaveHolidayRequest(DateOnly Date, string Name, bool IsWorkingDay);

public sealed record HolidayImportResult(int Created, int Updated, IReadOnlyList<string> Errors);

public sealed class SaveHolidayValidator : AbstractValidator<SaveHolidayRequest>
{
    public SaveHolidayValidator()
    {
        RuleFor(x => x.Date).NotEmpty();
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
    }
}

/// <summary>The holiday calendar: public holidays and make-up working days (调休), one entry per date.</summary>
public sealed class HolidaysHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly SaveHolidayValidator Validator = new();

    public async Task<IReadOnlyList<HolidayDto>> ListAsync(CurrentUser user, int? year, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var query = db.Holidays.AsNoTracking();
        if (year is { } y)
        {
            var from = new DateOnly(y, 1, 1);
            var to = new DateOnly(y, 12, 31);
            query = query.Where(h => h.Date >= from && h.Date <= to);
        }

        return await query.OrderBy(h => h.Date).Select(h => new HolidayDto(h.Id, h.Date, h.Name, h.IsWorkingDay, h.Version)).ToListAsync(ct);
    }

    /// <summary>Adds the date, or replaces what the calendar said of it.</summary>
    public async Task<HolidayDto> SaveAsync(CurrentUser user, SaveHolidayRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var holiday = await UpsertAsync(db, request, ct);
        await db.SaveChangesAsync(ct);
        return new HolidayDto(holiday.Id, holiday.Date, holiday.Name, holiday.IsWorkingDay, holiday.Version);
    }

    public async Task DeleteAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var holiday = await db.Holidays.FirstOrDefaultAsync(h => h.Id == id, ct) ?? throw new NotFoundException("The holiday");
        db.Holidays.Remove(holiday);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Imports a .csv or .xlsx with the columns Date, Name, WorkingDay (or 日期, 名称, 调休上班). All rows are checked
    /// first; a file with any bad row changes nothing and lists the bad rows.
    /// </summary>
    public async Task<HolidayImportResult> ImportAsync(CurrentUser user, Stream file, string fileName, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        var rows = ReadRows(file, fileName);
        var errors = new List<string>();
        var parsed = new List<SaveHolidayRequest>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var line = i + 2;
            var dateText = Pick(row, "date", "日期");
            var name = Pick(row, "name", "名称", "节日");
            var working = Pick(row, "workingday", "isworkingday", "调休上班", "上班");
            if (!TryDate(dateText, out var date))
            {
                errors.Add($"Row {line}: '{dateText}' is not a date (yyyy-MM-dd).");
                continue;
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add($"Row {line}: the name is empty.");
                continue;
            }

            parsed.Add(new SaveHolidayRequest(date, name.Trim(), IsTrue(working)));
        }

        if (rows.Count == 0)
        {
            throw new ValidationException([new ValidationFailure("file", "The file has no rows.")]);
        }

        if (errors.Count > 0)
        {
            return new HolidayImportResult(0, 0, errors);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var existing = (await db.Holidays.Select(h => h.Date).ToListAsync(ct)).ToHashSet();
        foreach (var request in parsed)
        {
            await UpsertAsync(db, request, ct);
        }

        await db.SaveChangesAsync(ct);
        var updated = parsed.Count(p => existing.Contains(p.Date));
        return new HolidayImportResult(parsed.Count - updated, updated, []);
    }

    private static async Task<Holiday> UpsertAsync(AppDbContext db, SaveHolidayRequest request, CancellationToken ct)
    {
        var holiday = db.Holidays.Local.FirstOrDefault(h => h.Date == request.Date)
            ?? await db.Holidays.FirstOrDefaultAsync(h => h.Date == request.Date, ct);
        if (holiday is null)
        {
            holiday = new Holiday { Date = request.Date, Name = request.Name.Trim(), IsWorkingDay = request.IsWorkingDay };
            db.Holidays.Add(holiday);
        }
        else
        {
            holiday.Name = request.Name.Trim();
            holiday.IsWorkingDay = request.IsWorkingDay;
        }

        return holiday;
    }

    private static List<Dictionary<string, string?>> ReadRows(Stream file, string fileName)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        try
        {
            if (extension == ".xlsx")
            {
                return file.Query(useHeaderRow: true)
                    .Cast<IDictionary<string, object?>>()
                    .Select(r => r.ToDictionary(kv => Normalize(kv.Key), kv => kv.Value switch
                    {
                        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        null => null,
                        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
                    }))
                    .ToList();
            }

            if (extension == ".csv")
            {
                using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { MissingFieldFound = null });
                var result = new List<Dictionary<string, string?>>();
                csv.Read();
                csv.ReadHeader();
                var headers = csv.HeaderRecord ?? [];
                while (csv.Read())
                {
                    result.Add(headers.ToDictionary(Normalize, h => csv.GetField(h)));
                }

                return result;
            }
        }
        catch (Exception e) when (e is InvalidDataException or CsvHelperException or IOException or InvalidOperationException)
        {
            throw new ValidationException([new ValidationFailure("file", $"The file could not be read as {extension}: {e.Message}")]);
        }

        throw new ValidationException([new ValidationFailure("file", "Upload a .csv or .xlsx file.")]);
    }

    private static string Normalize(string header) => header.Trim().Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();

    private static string? Pick(Dictionary<string, string?> row, params string[] names) =>
        names.Select(n => row.GetValueOrDefault(n)).FirstOrDefault(v => v is not null);

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyy/MM/dd"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out date);

    private static bool IsTrue(string? text) =>
        text?.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "y" or "是" or "上班";
}
