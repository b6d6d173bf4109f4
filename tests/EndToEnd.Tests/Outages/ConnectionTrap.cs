using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Personalization.EndToEnd.Outages;

/// <summary>
/// A listener given to processes as their HTTP(S) proxy: any request they make to a host outside this machine arrives
/// here instead (HTTPS as <c>CONNECT host:443</c>), is recorded by its first line, and goes no further.
/// </summary>
public sealed class ConnectionTrap : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private ConnectionTrap() { }

    public string ProxyUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The first line of each request that reached the trap.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static ConnectionTrap Start()
    {
        var trap = new ConnectionTrap();
        trap._listener.Start();
        _ = trap.AcceptAsync();
        return trap;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = RecordAsync(client);
        }
    }

    private async Task RecordAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                _requests.Enqueue(await reader.ReadLineAsync(timeout.Token) ?? "(connection without a request)");
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                _requests.Enqueue("(connection without a request)");
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
