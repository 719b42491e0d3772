using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.Platform.Cli;

namespace LeadToCash.Bench;

/// <summary>The app's HTTP API as one signed-in scale account sees it (a bearer token from POST /api/v1/auth/token).</summary>
internal sealed class AppClient : IDisposable
{
    // One pool of keep-alive connections per account, enough for every concurrent caller.
    private static readonly SocketsHttpHandler Handler = new()
    {
        MaxConnectionsPerServer = 64,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        AutomaticDecompression = DecompressionMethods.None,
    };

    private readonly HttpClient _http;

    private AppClient(HttpClient http, string email)
    {
        _http = http;
        Email = email;
    }

    public string Email { get; }

    public static async Task<AppClient> SignInAsync(Uri baseUrl, string email)
    {
        var http = new HttpClient(Handler, disposeHandler: false) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        using var response = await http.PostAsJsonAsync("api/v1/auth/token", new { email, password = ScaleData.Password });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Signing in as {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));
        return new AppClient(http, email);
    }

    /// <summary>GET, reads the whole body; throws on an error status (the measurement counts it).</summary>
    public async Task<int> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        return await CheckAsync(response, path);
    }

    public async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        await CheckAsync(response, path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>POST of a JSON body, reads the whole answer; throws on an error status.</summary>
    public async Task<int> PostAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        return await CheckAsync(response, path);
    }

    public async Task<JsonDocument> PostJsonAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        await CheckAsync(response, path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonDocument> PostFileAsync(string path, string file, string contentType)
    {
        using var form = new MultipartFormDataContent();
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(content, "file", Path.GetFileName(file));
        using var response = await _http.PostAsync(path, form);
        await CheckAsync(response, path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<int> CheckAsync(HttpResponseMessage response, string path)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if ((int)response.StatusCode >= 400)
        {
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            throw new HttpRequestException($"{(int)response.StatusCode} from {path.Split('?')[0]}: {(text.Length > 160 ? text[..160] : text)}");
        }

        return bytes.Length;
    }

    public void Dispose() => _http.Dispose();
}
