using System.Collections.Concurrent;
using System.Threading.Channels;
using LeadToCash.Platform.Auth;

namespace LeadToCash.Platform.Import;

/// <summary>Started imports waiting for the worker (ids only: the job row holds everything else).</summary>
public sealed class StartedImports
{
    private readonly Channel<Guid> _jobs = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _running = new();

    public ValueTask EnqueueAsync(Guid jobId, CancellationToken ct)
    {
        _running.TryAdd(jobId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _jobs.Writer.WriteAsync(jobId, ct);
    }

    /// <summary>Completes when the worker is done with a queued job (at once for a job it is not running).</summary>
    public Task WhenDoneAsync(Guid jobId) => _running.TryGetValue(jobId, out var done) ? done.Task : Task.CompletedTask;

    internal ChannelReader<Guid> Reader => _jobs.Reader;

    internal void Done(Guid jobId)
    {
        if (_running.TryRemove(jobId, out var done))
        {
            done.TrySetResult();
        }
    }
}

/// <summary>
/// Runs started imports one at a time in the background, outside any request. On start it marks jobs a stopped
/// process left running as interrupted, so that their owners can start them again (created rows are skipped).
/// </summary>
public sealed partial class ImportWorker(StartedImports queue, IServiceScopeFactory scopes, ILogger<ImportWorker> log) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SpreadsheetImports>().MarkInterruptedAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var jobId in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var services = scope.ServiceProvider;
                await services.GetRequiredService<SpreadsheetImports>().RunAsync(jobId,
                    services.GetServices<IRecordImporter>(), services.GetRequiredService<CurrentUserResolver>(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // RunAsync records failures on the job; this is only for a failure to record them.
                CouldNotRun(log, e, jobId);
            }
            finally
            {
                queue.Done(jobId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} could not run")]
    private static partial void CouldNotRun(ILogger logger, Exception exception, Guid jobId);
}

public static class ImportSetup
{
    public static IServiceCollection AddSpreadsheetImports(this IServiceCollection services) => services
        .AddSingleton<StartedImports>()
        .AddScoped<SpreadsheetImports>()
        .AddHostedService<ImportWorker>();
}
