using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Options;
using LeadToCash.Tests.Infrastructure;
using MiniExcelLibs;

namespace LeadToCash.Tests.Api;

/// <summary>Company settings, the holiday calendar and working-time deadlines, option lists.</summary>
[DatabaseTest]
public sealed class SettingsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCompanySettings_AnyUser_ReturnsTheCompany()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var settings = await rep.GetJsonAsync<CompanySettingsDto>("/api/v1/settings/company");

        Assert.Equal("Asia/Shanghai", settings.TimeZone);
        Assert.Equal("1111100", settings.WorkingDays);
        Assert.Equal(new TimeOnly(9, 0), settings.WorkdayStart);
        Assert.False(string.IsNullOrWhiteSpace(settings.Name));
    }

    [Fact]
    public async Task UpdateCompanySettings_CurrentVersionThenStaleVersion_Returns200Then409()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var current = await admin.GetJsonAsync<CompanySettingsDto>("/api/v1/settings/company");

        // The time zone, days and hours stay: the deadline tests of this class count on them.
        var updated = await (await admin.PutAsJsonAsync("/api/v1/settings/company", Update(current) with { Name = "云帆智能（上海）", Currency = "USD" }, Ct))
            .ExpectJsonAsync<CompanySettingsDto>();
        var stale = await admin.PutAsJsonAsync("/api/v1/settings/company", Update(current) with { Name = "Stale" }, Ct);

        Assert.Equal(current.Version + 1, updated.Version);
        Assert.Equal("云帆智能（上海）", updated.Name);
        Assert.Equal("USD", updated.Currency);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("云帆智能（上海）", (await admin.GetJsonAsync<CompanySettingsDto>("/api/v1/settings/company")).Name);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "timeZone")]
    [InlineData("", "timeZone")]
    public async Task UpdateCompanySettings_UnknownTimeZone_Returns400NamingTimeZone(string timeZone, string field)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var current = await admin.GetJsonAsync<CompanySettingsDto>("/api/v1/settings/company");

        var response = await admin.PutAsJsonAsync("/api/v1/settings/company", Update(current) with { TimeZone = timeZone }, Ct);

        await response.ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task UpdateCompanySettings_BadDaysAndHours_Returns400NamingEachField()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var current = await admin.GetJsonAsync<CompanySettingsDto>("/api/v1/settings/company");

        var response = await admin.PutAsJsonAsync("/api/v1/settings/company", Update(current) with
        {
            WorkingDays = "11111",
            WorkdayEnd = new TimeOnly(8, 0),
            Currency = "XYZ",
        }, Ct);

        await response.ExpectFieldErrorAsync("workingDays");
        await response.ExpectFieldErrorAsync("workdayEnd");
        await response.ExpectFieldErrorAsync("currency");
    }

    [Fact]
    public async Task UpdateCompanySettings_Rep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var current = await rep.GetJsonAsync<CompanySettingsDto>("/api/v1/settings/company");

        var response = await rep.PutAsJsonAsync("/api/v1/settings/company", Update(current) with { Name = "Mine" }, Ct);

        await response.ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SaveHoliday_NewDateThenSameDate_AddsThenReplaces()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var added = await (await admin.PostAsJsonAsync("/api/v1/settings/holidays",
            new SaveHolidayRequest(new DateOnly(2027, 3, 8), "妇女节", false), Ct)).ExpectJsonAsync<HolidayDto>();
        var replaced = await (await admin.PostAsJsonAsync("/api/v1/settings/holidays",
            new SaveHolidayRequest(new DateOnly(2027, 3, 8), "妇女节（半天）", true), Ct)).ExpectJsonAsync<HolidayDto>();

        Assert.Equal(added.Id, replaced.Id);
        Assert.Equal(2, replaced.Version);
        var year = await admin.GetJsonAsync<List<HolidayDto>>("/api/v1/settings/holidays?year=2027");
        var day = Assert.Single(year, h => h.Date == new DateOnly(2027, 3, 8));
        Assert.Equal("妇女节（半天）", day.Name);
        Assert.True(day.IsWorkingDay);
    }

    [Fact]
    public async Task ListHolidays_2026_HasTheDemoCalendar()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var year = await rep.GetJsonAsync<List<HolidayDto>>("/api/v1/settings/holidays?year=2026");

        Assert.Contains(year, h => h.Date == new DateOnly(2026, 10, 1) && !h.IsWorkingDay);
        Assert.Contains(year, h => h.Date == new DateOnly(2026, 10, 10) && h.IsWorkingDay);
        Assert.Equal(year.OrderBy(h => h.Date).Select(h => h.Date), year.Select(h => h.Date));
    }

    [Fact]
    public async Task ImportHolidays_CsvWithBomAndChineseHeaders_AddsEveryRow()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var csv = "日期,名称,调休上班\r\n2028-01-01,元旦,\r\n2028-01-29,春节调休,是\r\n2028/1/30,春节,否\r\n";

        var response = await admin.PostAsync("/api/v1/settings/holidays/import", CsvFile(csv, withBom: true), Ct);

        var result = await response.ExpectJsonAsync<HolidayImportResult>();
        Assert.Equal(3, result.Created);
        Assert.Equal(0, result.Updated);
        Assert.Empty(result.Errors);
        var year = await admin.GetJsonAsync<List<HolidayDto>>("/api/v1/settings/holidays?year=2028");
        Assert.Equal(
            [(new DateOnly(2028, 1, 1), "元旦", false), (new DateOnly(2028, 1, 29), "春节调休", true), (new DateOnly(2028, 1, 30), "春节", false)],
            year.Select(h => (h.Date, h.Name, h.IsWorkingDay)));
    }

    [Fact]
    public async Task ImportHolidays_ExistingDate_IsUpdatedNotDuplicated()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsync("/api/v1/settings/holidays/import", CsvFile("Date,Name,WorkingDay\n2029-05-01,Labour Day,0\n", withBom: false), Ct))
            .ExpectAsync(HttpStatusCode.OK);

        var response = await admin.PostAsync("/api/v1/settings/holidays/import",
            CsvFile("Date,Name,WorkingDay\n2029-05-01,劳动节,0\n2029-05-02,劳动节,0\n", withBom: false), Ct);

        var result = await response.ExpectJsonAsync<HolidayImportResult>();
        Assert.Equal(1, result.Created);
        Assert.Equal(1, result.Updated);
        var year = await admin.GetJsonAsync<List<HolidayDto>>("/api/v1/settings/holidays?year=2029");
        Assert.Equal(["劳动节", "劳动节"], year.Select(h => h.Name));
    }

    [Fact]
    public async Task ImportHolidays_Xlsx_AddsEveryRow()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var workbook = new MemoryStream();
        await workbook.SaveAsAsync(new[]
        {
            new Dictionary<string, object> { ["日期"] = new DateTime(2031, 10, 1), ["名称"] = "国庆节", ["调休上班"] = "" },
            new Dictionary<string, object> { ["日期"] = "2031-10-11", ["名称"] = "国庆调休", ["调休上班"] = "是" },
        }, cancellationToken: Ct);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(workbook.ToArray()), "file", "holidays.xlsx" } };

        var result = await (await admin.PostAsync("/api/v1/settings/holidays/import", content, Ct)).ExpectJsonAsync<HolidayImportResult>();

        Assert.Equal(2, result.Created);
        var year = await admin.GetJsonAsync<List<HolidayDto>>("/api/v1/settings/holidays?year=2031");
        Assert.Equal([(new DateOnly(2031, 10, 1), false), (new DateOnly(2031, 10, 11), true)], year.Select(h => (h.Date, h.IsWorkingDay)));
    }

    [Fact]
    public async Task ImportHolidays_FileWithABadDate_Returns400NamingTheRowAndWritesNothing()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var csv = "日期,名称,调休上班\n2030-05-01,劳动节,\n2030-13-01,不存在的日子,\n2030-05-02,,\n";

        var response = await admin.PostAsync("/api/v1/settings/holidays/import", CsvFile(csv, withBom: true), Ct);

        var messages = await response.ExpectFieldErrorAsync("file");
        Assert.Contains(messages, m => m.Contains("Row 3", StringComparison.Ordinal) && m.Contains("2030-13-01", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Row 4", StringComparison.Ordinal));
        Assert.Empty(await admin.GetJsonAsync<List<HolidayDto>>("/api/v1/settings/holidays?year=2030"));
    }

    [Fact]
    public async Task ImportHolidays_NotCsvOrXlsx_Returns400NamingFile()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var content = new MultipartFormDataContent { { new StringContent("hello"), "file", "holidays.txt" } };

        var response = await admin.PostAsync("/api/v1/settings/holidays/import", content, Ct);

        await response.ExpectFieldErrorAsync("file");
    }

    [Fact]
    public async Task ImportHolidays_Rep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsync("/api/v1/settings/holidays/import", CsvFile("Date,Name\n2032-01-01,x\n", withBom: false), Ct);

        await response.ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Deadline_OverAWeekend_ContinuesOnMonday()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        // Friday 16 April 2027, 17:00 in Shanghai, plus two working hours.
        var deadline = await DeadlineAsync(rep, "2027-04-16T09:00:00Z", 2);

        Assert.Equal(new DateTime(2027, 4, 19, 2, 0, 0, DateTimeKind.Utc), deadline);
    }

    [Fact]
    public async Task Deadline_HolidayOnMonday_IsSkipped()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsJsonAsync("/api/v1/settings/holidays", new SaveHolidayRequest(new DateOnly(2027, 4, 26), "公司年假", false), Ct))
            .ExpectAsync(HttpStatusCode.OK);

        // Friday 23 April 2027, 17:00 in Shanghai, plus two working hours: Monday is off, so Tuesday 10:00.
        var deadline = await DeadlineAsync(admin, "2027-04-23T09:00:00Z", 2);

        Assert.Equal(new DateTime(2027, 4, 27, 2, 0, 0, DateTimeKind.Utc), deadline);
    }

    [Fact]
    public async Task Deadline_MakeUpWorkingSaturday_IsCounted()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsJsonAsync("/api/v1/settings/holidays", new SaveHolidayRequest(new DateOnly(2027, 5, 8), "调休上班", true), Ct))
            .ExpectAsync(HttpStatusCode.OK);

        // Friday 7 May 2027, 17:00 in Shanghai, plus two working hours: Saturday is a working day, so Saturday 10:00.
        var deadline = await DeadlineAsync(admin, "2027-05-07T09:00:00Z", 2);

        Assert.Equal(new DateTime(2027, 5, 8, 2, 0, 0, DateTimeKind.Utc), deadline);
    }

    [Fact]
    public async Task Deadline_DemoNationalDayHolidays_AreHonoured()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        // Wednesday 30 September 2026, 17:00 plus two hours: one hour that day, 1-7 October are off, then Thursday 8 October.
        var deadline = await DeadlineAsync(rep, "2026-09-30T09:00:00Z", 2);

        Assert.Equal(new DateTime(2026, 10, 8, 2, 0, 0, DateTimeKind.Utc), deadline);
    }

    [Fact]
    public async Task Deadline_NegativeHours_Returns400NamingWorkingHours()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync("/api/v1/settings/calendar/deadline?from=2027-04-16T09:00:00Z&workingHours=-1", Ct);

        await response.ExpectFieldErrorAsync("workingHours");
    }

    [Fact]
    public async Task ListOptions_Industries_HasTheDefaultsInOrder()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var lists = await rep.GetJsonAsync<List<string>>("/api/v1/options");
        var industries = await rep.GetJsonAsync<List<OptionDto>>($"/api/v1/options/{OptionLists.Industries}");

        Assert.Equal(OptionLists.All, lists);
        Assert.Contains(industries, o => o.Code == "software" && o.LabelZh == "软件与信息服务");
        Assert.Equal(industries.OrderBy(o => o.SortOrder).Select(o => o.Code), industries.Select(o => o.Code));
    }

    [Fact]
    public async Task CreateOption_NewIndustry_CanBeUsedOnACustomer()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var created = await (await admin.PostAsJsonAsync($"/api/v1/options/{OptionLists.Industries}",
            new SaveOptionRequest("semiconductors", "半导体", "Semiconductors", 95), Ct)).ExpectJsonAsync<OptionDto>(HttpStatusCode.Created);
        var customer = await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest("无锡芯片科技有限公司", Industry: "semiconductors"), Ct);

        Assert.Equal(1, created.Version);
        Assert.True(created.IsActive);
        Assert.Equal("semiconductors", (await customer.ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created)).Industry);
    }

    [Fact]
    public async Task CreateOption_DuplicateCode_Returns400NamingCode()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsJsonAsync($"/api/v1/options/{OptionLists.Industries}",
            new SaveOptionRequest("software", "软件", "Software", 5), Ct);

        await response.ExpectFieldErrorAsync("code");
    }

    [Fact]
    public async Task CreateOption_BadCodeOrUnknownList_Returns400Or404()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var badCode = await admin.PostAsJsonAsync($"/api/v1/options/{OptionLists.Industries}", new SaveOptionRequest("Bad Code", "坏", "Bad", 1), Ct);
        var unknownList = await admin.PostAsJsonAsync("/api/v1/options/colours", new SaveOptionRequest("red", "红", "Red", 1), Ct);

        await badCode.ExpectFieldErrorAsync("code");
        await unknownList.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UpdateOption_Labels_Returns200AtNextVersion()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var retail = (await admin.GetJsonAsync<List<OptionDto>>($"/api/v1/options/{OptionLists.Industries}")).Single(o => o.Code == "retail");

        var updated = await (await admin.PutAsJsonAsync($"/api/v1/options/{OptionLists.Industries}/{retail.Id}",
            new SaveOptionRequest("retail", "零售与消费品", "Retail & consumer goods", retail.SortOrder, true, retail.Version), Ct))
            .ExpectJsonAsync<OptionDto>();
        var stale = await admin.PutAsJsonAsync($"/api/v1/options/{OptionLists.Industries}/{retail.Id}",
            new SaveOptionRequest("retail", "零售", "Retail", retail.SortOrder, true, retail.Version), Ct);

        Assert.Equal("零售与消费品", updated.LabelZh);
        Assert.Equal("Retail & consumer goods", updated.LabelEn);
        Assert.Equal(retail.Version + 1, updated.Version);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UpdateOption_ChangedCode_Returns400NamingCode()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var energy = (await admin.GetJsonAsync<List<OptionDto>>($"/api/v1/options/{OptionLists.Industries}")).Single(o => o.Code == "energy");

        var response = await admin.PutAsJsonAsync($"/api/v1/options/{OptionLists.Industries}/{energy.Id}",
            new SaveOptionRequest("power", energy.LabelZh, energy.LabelEn, energy.SortOrder, true, energy.Version), Ct);

        await response.ExpectFieldErrorAsync("code");
    }

    [Fact]
    public async Task UpdateOption_Deactivated_IsHiddenAndRefusedOnNewCustomers()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var construction = (await admin.GetJsonAsync<List<OptionDto>>($"/api/v1/options/{OptionLists.Industries}")).Single(o => o.Code == "construction");

        await (await admin.PutAsJsonAsync($"/api/v1/options/{OptionLists.Industries}/{construction.Id}",
            new SaveOptionRequest("construction", construction.LabelZh, construction.LabelEn, construction.SortOrder, false, construction.Version), Ct))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.DoesNotContain(await rep.GetJsonAsync<List<OptionDto>>($"/api/v1/options/{OptionLists.Industries}"), o => o.Code == "construction");
        Assert.Contains(await admin.GetJsonAsync<List<OptionDto>>($"/api/v1/options/{OptionLists.Industries}?includeInactive=true"), o => o.Code == "construction");
        var refused = await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest("南京建工有限公司", Industry: "construction"), Ct);
        await refused.ExpectFieldErrorAsync("industry");
    }

    [Fact]
    public async Task CreateOption_Rep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync($"/api/v1/options/{OptionLists.Industries}", new SaveOptionRequest("agriculture", "农业", "Agriculture", 1), Ct);

        await response.ExpectAsync(HttpStatusCode.Forbidden);
    }

    private static UpdateCompanySettingsRequest Update(CompanySettingsDto s) =>
        new(s.Name, s.TimeZone, s.Currency, s.WorkingDays, s.WorkdayStart, s.WorkdayEnd, s.DefaultCulture, s.Version);

    private static MultipartFormDataContent CsvFile(string text, bool withBom)
    {
        var bytes = withBom ? [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)] : Encoding.UTF8.GetBytes(text);
        return new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "holidays.csv" } };
    }

    private static async Task<DateTime> DeadlineAsync(HttpClient client, string from, double hours)
    {
        var answer = await client.GetJsonAsync<JsonElement>(
            $"/api/v1/settings/calendar/deadline?from={Uri.EscapeDataString(from)}&workingHours={hours}");
        var deadline = answer.GetProperty("deadline").GetString()!;
        Assert.EndsWith("Z", deadline, StringComparison.Ordinal);
        return DateTime.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
    }
}
