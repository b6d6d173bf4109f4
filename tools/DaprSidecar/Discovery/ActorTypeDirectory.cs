using Microsoft.Extensions.Options;
using Personalization.DaprSidecar.Actors;

namespace Personalization.DaprSidecar.Discovery;

/// <summary>
/// Which app hosts which actor type, from each configured app's <c>/dapr/config</c>. Several apps share one emulator;
/// an app that is down keeps the types it last reported, and the first app listed wins a type two apps claim.
/// </summary>
public sealed class ActorTypeDirectory(AppChannel channel, IOptions<SidecarOptions> options, TimeProvider clock, ILogger<ActorTypeDirectory> logger)
{
    private static readonly TimeSpan ConfigTimeout = TimeSpan.FromSeconds(5);

    private readonly Uri[] _apps = [.. options.Value.Apps.Select(a => new Uri(a, UriKind.Absolute))];
    private readonly Dictionary<Uri, IReadOnlyList<ActorTypeSettings>> _reported = [];
    private readonly Dictionary<Uri, string> _lastErrors = [];
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile IReadOnlyDictionary<string, ActorTypeSettings> _types = new Dictionary<string, ActorTypeSettings>();
    private DateTimeOffset _lastRefreshStartedAt = DateTimeOffset.MinValue;

    public IReadOnlyList<Uri> Apps => _apps;

    public bool AllAppsDiscovered
    {
        get { lock (_reported) return _reported.Count == _apps.Length; }
    }

    public ActorTypeSettings? Find(string actorType) => _types.GetValueOrDefault(actorType);

    /// <summary>The types this emulator's apps host, as discovered so far.</summary>
    public IReadOnlyCollection<string> ActorTypes => [.. _types.Keys];

    /// <summary>
    /// Looks the type up. An unknown type makes the emulator read the apps' configuration again first (an app may just
    /// have started); callers that ask at the same time share one read.
    /// </summary>
    public async Task<ActorTypeSettings?> ResolveAsync(string actorType, CancellationToken cancellationToken)
    {
        if (Find(actorType) is { } known) return known;
        await RefreshAsync(freshAfter: clock.GetUtcNow(), cancellationToken);
        return Find(actorType);
    }

    /// <summary>Why a type is unknown, for error messages: the apps asked and what each said.</summary>
    public string DescribeApps()
    {
        lock (_reported)
        {
            return string.Join("; ", _apps.Select(app =>
                _reported.TryGetValue(app, out var types)
                    ? $"{app} hosts [{string.Join(", ", types.Select(t => t.ActorType))}]"
                    : $"{app} not reached yet ({_lastErrors.GetValueOrDefault(app, "no answer")})"));
        }
    }

    /// <summary>Reads every app's <c>/dapr/config</c>, unless a read that started at or after <paramref name="freshAfter"/> has completed.</summary>
    public async Task RefreshAsync(DateTimeOffset freshAfter, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (_lastRefreshStartedAt >= freshAfter) return;
            var startedAt = clock.GetUtcNow();
            await Task.WhenAll(_apps.Select(app => ReadAppAsync(app, cancellationToken)));
            _lastRefreshStartedAt = startedAt;
            Publish();
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task ReadAppAsync(Uri app, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConfigTimeout);
        try
        {
            var reply = await channel.GetConfigAsync(app, timeout.Token);
            if (reply.StatusCode != 200)
                throw new InvalidOperationException($"GET /dapr/config answered {reply.StatusCode}: {reply.BodyText(200)}");
            var types = AppConfigParser.Parse(app, reply.Body);
            lock (_reported)
            {
                var before = _reported.GetValueOrDefault(app);
                _reported[app] = types;
                _lastErrors.Remove(app);
                if (before is null || !before.SequenceEqual(types))
                    logger.LogInformation("App {App} hosts actor types [{Types}]", app, string.Join(", ", types.Select(DescribeType)));
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            lock (_reported)
            {
                var message = ex is OperationCanceledException ? $"no answer within {ConfigTimeout.TotalSeconds}s" : ex.Message;
                if (_lastErrors.GetValueOrDefault(app) != message)
                    logger.LogDebug("App {App} not discovered: {Error}", app, message);
                _lastErrors[app] = message;
            }
        }
    }

    private void Publish()
    {
        var types = new Dictionary<string, ActorTypeSettings>(StringComparer.Ordinal);
        lock (_reported)
        {
            foreach (var app in _apps)
            {
                foreach (var type in _reported.GetValueOrDefault(app) ?? [])
                {
                    if (types.TryGetValue(type.ActorType, out var first))
                    {
                        if (first.App != app)
                            logger.LogWarning("Actor type {Type} is hosted by {App} and {Other}; using {App}", type.ActorType, first.App, app, first.App);
                        continue;
                    }
                    types[type.ActorType] = type;
                }
            }
        }
        _types = types;
    }

    private static string DescribeType(ActorTypeSettings t) =>
        $"{t.ActorType} (idle {t.IdleTimeout}, reentrancy {(t.ReentrancyEnabled ? $"on, depth {t.MaxStackDepth}" : "off")})";
}
