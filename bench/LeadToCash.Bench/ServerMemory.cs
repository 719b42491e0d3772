using System.Globalization;

namespace LeadToCash.Bench;

/// <summary>
/// The app's memory as Linux reports it (/proc/PID/status): resident set (VmRSS) and its peak (VmHWM). Before each
/// scenario the peak is reset (writing 5 to /proc/PID/clear_refs, which needs the right to write there); a sampler
/// also takes VmRSS every 50 ms, so the peak of a scenario is known even where the reset is refused.
/// </summary>
internal sealed class ServerMemory(int pid) : IDisposable
{
    private long _sampledPeakKb;
    private bool _resetWorked;
    private CancellationTokenSource? _sampling;
    private Task? _sampler;

    public long RssKb => Read("VmRSS:");

    public static double MiB(long kb) => Math.Round(kb / 1024.0, 1);

    /// <summary>Starts measuring a scenario's peak.</summary>
    public void Start()
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            _resetWorked = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _resetWorked = false;
        }

        _sampledPeakKb = RssKb;
        _sampling = new CancellationTokenSource();
        var token = _sampling.Token;
        _sampler = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                var rss = RssKb;
                if (rss > Interlocked.Read(ref _sampledPeakKb))
                {
                    Interlocked.Exchange(ref _sampledPeakKb, rss);
                }

                try
                {
                    await Task.Delay(50, token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }, token);
    }

    /// <summary>The peak resident set since <see cref="Start"/>, in KiB.</summary>
    public async Task<long> StopAsync()
    {
        if (_sampling is not null)
        {
            await _sampling.CancelAsync();
            await _sampler!;
            _sampling.Dispose();
            _sampling = null;
        }

        var sampled = Math.Max(Interlocked.Read(ref _sampledPeakKb), RssKb);
        return _resetWorked ? Math.Max(sampled, Read("VmHWM:")) : sampled;
    }

    public void Dispose() => _sampling?.Dispose();

    private long Read(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var number = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has ended; the scenario that follows reports the failure.
        }

        return 0;
    }
}
