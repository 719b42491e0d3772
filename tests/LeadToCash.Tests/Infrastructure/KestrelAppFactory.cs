namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// The app served by Kestrel on a loopback port instead of the in-memory test server, for behaviour that belongs to
/// the real server (the request body size limit). Clients work as with <see cref="AppFactory"/>.
/// </summary>
public sealed class KestrelAppFactory : AppFactory
{
    public KestrelAppFactory() => UseKestrel(0);
}
