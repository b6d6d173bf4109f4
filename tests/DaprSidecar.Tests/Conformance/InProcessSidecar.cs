using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalization.DaprSidecar.Tests.Conformance;

/// <summary>The emulator hosted in the test process through <see cref="SidecarHost"/>, restartable on the same port and database.</summary>
public sealed class InProcessSidecar(Uri address, IReadOnlyDictionary<string, string?> settings) : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri Address { get; } = address;

    public async Task StartAsync()
    {
        if (_app is not null) throw new InvalidOperationException("already running");
        var app = SidecarHost.Build(["--urls", Address.ToString()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            // Test runs stay quiet; a failing test prints what it asserted on.
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
