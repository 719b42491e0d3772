using System.Collections.Concurrent;
using System.Diagnostics;

namespace LeadToCash.Bench;

/// <summary>Latency figures of one run (milliseconds); successful requests only, errors counted apart.</summary>
internal sealed record LatencyStats(int Requests, int Errors, double P50Ms, double P95Ms, double P99Ms, double RequestsPerSecond,
    IReadOnlyList<string> ErrorSamples)
{
    public bool HasFigures => Requests > Errors && P95Ms > 0;
}

/// <summary>
/// Runs a request (an async action that throws on failure) N times one after the other, or from N workers for a
/// fixed time, and times each one. Every loop is bounded by count or by time.
/// </summary>
internal static class Measure
{
    /// <summary>Warm-up: <paramref name="count"/> calls whose figures are dropped (failures too: the real run reports them).</summary>
    public static async Task WarmUpAsync(Func<int, Task> request, int count)
    {
        for (var i = 0; i < count; i++)
        {
            try
            {
                await request(i);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Counted in the measured runs that follow.
            }
        }
    }

    /// <summary>Concurrency 1: <paramref name="count"/> calls in turn; request i gets index <paramref name="offset"/> + i.</summary>
    public static async Task<LatencyStats> SequentialAsync(Func<int, Task> request, int count, int offset = 0)
    {
        var times = new List<double>(count);
        var errors = new List<string>();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await request(offset + i);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors.Add(Describe(e));
            }
        }

        return Stats(times, errors, total.Elapsed);
    }

    /// <summary>
    /// <paramref name="workers"/> callers for <paramref name="duration"/>, each starting its next call when the last one
    /// ends (closed loop); the indexes count up across workers from <paramref name="offset"/>.
    /// </summary>
    public static async Task<LatencyStats> ConcurrentAsync(Func<int, Task> request, int workers, TimeSpan duration, int offset = 0)
    {
        var times = new ConcurrentBag<double>();
        var errors = new ConcurrentQueue<string>();
        var next = offset - 1;
        var total = Stopwatch.StartNew();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        async Task Worker()
        {
            await Task.Yield();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var index = Interlocked.Increment(ref next);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await request(index);
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    errors.Enqueue(Describe(e));
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Worker()));
        return Stats([.. times], [.. errors], total.Elapsed);
    }

    private static LatencyStats Stats(List<double> times, List<string> errors, TimeSpan wall)
    {
        times.Sort();
        var samples = errors.GroupBy(e => e, StringComparer.Ordinal).OrderByDescending(g => g.Count())
            .Take(3).Select(g => $"{g.Count()}× {g.Key}").ToList();
        return new LatencyStats(times.Count + errors.Count, errors.Count, Percentile(times, 50), Percentile(times, 95),
            Percentile(times, 99), Math.Round(times.Count / Math.Max(wall.TotalSeconds, 1e-9), 1), samples);
    }

    /// <summary>Nearest-rank percentile of sorted values, rounded to 0.1 ms (0 when there are none).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)], 1);
    }

    private static string Describe(Exception e)
    {
        var message = e is AggregateException { InnerException: { } inner } ? inner.Message : e.Message;
        message = message.ReplaceLineEndings(" ");
        return message.Length > 200 ? message[..200] : message;
    }
}
