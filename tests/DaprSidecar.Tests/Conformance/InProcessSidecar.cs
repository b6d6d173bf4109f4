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

    /// <summary>
    /// A free port below the kernel's ephemeral range, so no outgoing connection takes it as its source port while the
    /// emulator is down or before a late app binds it.
    /// </summary>
    public static int FreePort()
    {
        var ephemeralStart = File.Exists(EphemeralRange) && int.TryParse(File.ReadAllText(EphemeralRange).Split('\t', ' ')[0], out var start) ? start : 32768;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, Math.Max(20_001, ephemeralStart));
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }
        throw new InvalidOperationException("no free port below the ephemeral range");
    }

    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";
}
