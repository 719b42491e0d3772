using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using LeadToCash.Platform.Import;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Runs spreadsheet imports through the API: upload, start and wait for the background run.</summary>
public static class TestImports
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A file of this project's TestData folder.</summary>
    public static Task<byte[]> FileAsync(string name) =>
        File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", name), Ct);

    /// <summary>The rows of a CSV file of the TestData folder, keyed by header.</summary>
    public static async Task<List<Dictionary<string, string>>> CsvAsync(string name) =>
        ExportFiles.ReadCsv(Encoding.UTF8.GetString(await FileAsync(name)));

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string url, byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync(url, form, Ct);
    }

    public static async Task<ImportJobDto> UploadOkAsync(HttpClient client, string url, byte[] content, string fileName) =>
        await (await UploadAsync(client, url, content, fileName)).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);

    public static async Task<ImportJobDto> PreviewAsync(HttpClient client, string url, Guid id, StartImportRequest request) =>
        await (await client.PostAsJsonAsync($"{url}/{id}/preview", request, Http.Json, Ct)).ExpectJsonAsync<ImportJobDto>();

    /// <summary>Starts the job and waits until the worker is done with it; answers the job as it ended.</summary>
    public static async Task<ImportJobDto> StartAndWaitAsync(AppFactory app, HttpClient client, string url, Guid id, StartImportRequest request)
    {
        var started = await (await client.PostAsJsonAsync($"{url}/{id}/start", request, Http.Json, Ct)).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Accepted);
        Assert.Equal(ImportStatus.Running, started.Status);
        await app.Services.GetRequiredService<StartedImports>().WhenDoneAsync(id).WaitAsync(TimeSpan.FromMinutes(3), Ct);
        var job = await client.GetJsonAsync<ImportJobDto>($"{url}/{id}");
        Assert.True(job.Status is ImportStatus.Completed or ImportStatus.Failed, $"The import ended as {job.Status}: {job.Error}");
        return job;
    }
}
