using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Placement;

namespace Personalization.DaprSidecar.Actors;

/// <summary>
/// The emulator's calls to the apps, in daprd's HTTP actor callback protocol:
/// <c>PUT /actors/{type}/{id}/method/{method}</c> (also <c>remind/{name}</c> and <c>timer/{name}</c>),
/// <c>DELETE /actors/{type}/{id}</c> and <c>GET /dapr/config</c>; and, with placement on, actor calls forwarded to
/// the emulator that hosts the actor.
/// </summary>
public sealed class AppChannel : IDisposable
{
    public const string ApiTokenHeader = "dapr-api-token";
    public const string ReentrancyIdHeader = "Dapr-Reentrancy-Id";

    /// <summary>On a call one emulator forwards to another: how many times it was forwarded, and why (<c>2; holder</c>).</summary>
    public const string ForwardedHeader = "X-Sidecar-Forwarded";

    // Hop-by-hop and per-connection headers are never forwarded; the sidecar's own token is never shown to the app.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Expect",
        "Proxy-Connection", "Proxy-Authorization", "Content-Length", ApiTokenHeader,
    };

    private static readonly HashSet<string> NotPassedBack = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Trailer", "Upgrade", "Content-Length", "Server", "Date",
    };

    // Own client, not IHttpClientFactory: the standard resilience handler would retry actor calls (not idempotent) and
    // cut long ones, and the factory's per-request Information logs would drown the emulator's own.
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectAsync,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly string? _appToken;
    private readonly string? _sidecarToken;

    public AppChannel(IOptions<SidecarOptions> options) => (_appToken, _sidecarToken) = (options.Value.AppApiToken, options.Value.ApiToken);

    public Task<AppReply> InvokeMethodAsync(
        ActorTypeSettings type, ActorKey key, string method, byte[] body, IEnumerable<KeyValuePair<string, string[]>> headers,
        string? reentrancyId, CancellationToken cancellationToken)
    {
        var request = WithHeaders(new HttpRequestMessage(HttpMethod.Put, MethodUrl(type.App, key, Escape(method))) { Content = new ByteArrayContent(body) }, headers);
        if (reentrancyId is not null)
        {
            request.Headers.Remove(ReentrancyIdHeader);
            request.Headers.TryAddWithoutValidation(ReentrancyIdHeader, reentrancyId);
        }
        return SendAsync(request, _appToken, cancellationToken);
    }

    /// <summary>
    /// Sends an actor call on to the emulator at <paramref name="host"/>, as it came (the emulators share the API
    /// token), marked with <paramref name="forwarding"/>.
    /// </summary>
    public Task<AppReply> ForwardAsync(
        string host, string httpMethod, ActorKey key, string method, byte[] body, IEnumerable<KeyValuePair<string, string[]>> headers,
        Forwarding forwarding, CancellationToken cancellationToken)
    {
        var url = $"{host}/v1.0/actors/{Escape(key.Type)}/{Escape(key.Id)}/method/{Escape(method)}";
        var request = WithHeaders(new HttpRequestMessage(new HttpMethod(httpMethod), url) { Content = new ByteArrayContent(body) }, headers);
        request.Headers.Remove(ForwardedHeader);
        request.Headers.TryAddWithoutValidation(ForwardedHeader, forwarding.ToString());
        return SendAsync(request, _sidecarToken, cancellationToken);
    }

    public Task<AppReply> FireReminderAsync(ActorTypeSettings type, ActorKey key, string name, byte[] body, CancellationToken cancellationToken) =>
        SendAsync(JsonPut(MethodUrl(type.App, key, "remind/" + Escape(name)), body), _appToken, cancellationToken);

    public Task<AppReply> FireTimerAsync(ActorTypeSettings type, ActorKey key, string name, byte[] body, CancellationToken cancellationToken) =>
        SendAsync(JsonPut(MethodUrl(type.App, key, "timer/" + Escape(name)), body), _appToken, cancellationToken);

    public Task<AppReply> DeactivateAsync(ActorTypeSettings type, ActorKey key, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{Base(type.App)}/actors/{Escape(key.Type)}/{Escape(key.Id)}"), _appToken, cancellationToken);

    public Task<AppReply> GetConfigAsync(Uri app, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{Base(app)}/dapr/config"), _appToken, cancellationToken);

    private static HttpRequestMessage WithHeaders(HttpRequestMessage request, IEnumerable<KeyValuePair<string, string[]>> headers)
    {
        foreach (var (name, values) in headers)
        {
            if (NotForwarded.Contains(name)) continue;
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                request.Content!.Headers.TryAddWithoutValidation(name, values);
            else
                request.Headers.TryAddWithoutValidation(name, values);
        }
        return request;
    }

    private async Task<AppReply> SendAsync(HttpRequestMessage request, string? token, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (!string.IsNullOrEmpty(token))
                request.Headers.TryAddWithoutValidation(ApiTokenHeader, token);

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var headers = response.Headers.Concat(response.Content.Headers)
                .Where(h => !NotPassedBack.Contains(h.Key))
                .Select(h => KeyValuePair.Create(h.Key, h.Value.ToArray()))
                .ToList();
            return new AppReply((int)response.StatusCode, headers, body, response.Content.Headers.ContentType?.ToString());
        }
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            // Polling a loopback port nobody listens on yet (an app that starts after the emulator) can connect the socket
            // to itself, TCP's simultaneous open; the app could then not bind its port. Such a connection is dropped.
            if (socket.LocalEndPoint is IPEndPoint local && local.Equals(socket.RemoteEndPoint))
                throw new HttpRequestException($"nothing listens on {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} (the connection reached itself)");
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static HttpRequestMessage JsonPut(string url, byte[] body) => new(HttpMethod.Put, url)
    {
        Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
    };

    private static string MethodUrl(Uri app, ActorKey key, string escapedMethod) =>
        $"{Base(app)}/actors/{Escape(key.Type)}/{Escape(key.Id)}/method/{escapedMethod}";

    private static string Base(Uri app) => app.ToString().TrimEnd('/');

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    public void Dispose() => _http.Dispose();
}
