using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Api;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Small helpers for reading the API's answers in tests.</summary>
public static class Http
{
    /// <summary>The app's JSON conventions: camelCase, enums as strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Asserts the status code, showing the body when it differs (the problem detail says why).</summary>
    public static async Task<HttpResponseMessage> ExpectAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        // Buffered, so that several checks can read the body (over Kestrel it is a network stream).
        await response.Content.LoadIntoBufferAsync(Ct);
        if (response.StatusCode != expected)
        {
            var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(Ct);
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered " +
                $"{(int)response.StatusCode} {response.StatusCode}, expected {(int)expected} {expected}. Body: {Truncate(body)}");
        }

        return response;
    }

    // From the buffered bytes, not the content stream: that one can be read only once.
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        JsonSerializer.Deserialize<T>(await response.Content.ReadAsByteArrayAsync(Ct), Json)!;

    public static async Task<T> ExpectJsonAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await response.ExpectAsync(expected)).ReadAsync<T>();

    public static async Task<T> GetJsonAsync<T>(this HttpClient client, string url) =>
        await (await client.GetAsync(url, Ct)).ExpectJsonAsync<T>();

    /// <summary>Asserts an RFC 9457 problem+json answer with the given status and returns its document.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.ExpectAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 validation problem that names <paramref name="field"/> and returns its messages.</summary>
    public static async Task<string[]> ExpectFieldErrorAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors), $"The problem has no 'errors': {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"The problem does not name '{field}': {errors}");
        var texts = messages.EnumerateArray().Select(m => m.GetString() ?? "").ToArray();
        Assert.NotEmpty(texts);
        Assert.All(texts, t => Assert.False(string.IsNullOrWhiteSpace(t)));
        return texts;
    }

    /// <summary>Follows the cursors of a list to its end and returns every item (fails on a loop).</summary>
    public static async Task<List<T>> ListAllAsync<T>(this HttpClient client, string url, int limit = ListRequest.MaxLimit)
    {
        var items = new List<T>();
        string? cursor = null;
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await client.GetJsonAsync<ListPage<T>>(
                $"{url}{separator}limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            items.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                return items;
            }

            Assert.Equal(limit, page.Items.Count);
            cursor = page.NextCursor;
        }

        Assert.Fail($"{url} gave out more than 1000 pages.");
        return items;
    }

    public static Task<List<CustomerDto>> AllCustomersAsync(this HttpClient client, string query = "") =>
        client.ListAllAsync<CustomerDto>("/api/v1/customers" + query);

    private static string Truncate(string text) => text.Length > 2000 ? text[..2000] + "..." : text;
}
