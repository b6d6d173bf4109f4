using Dapr.Actors.Client;
using Personalization.Segmentation.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Rebuild;

/// <summary>
/// <c>Personalization.Segmentation rebuild-profiles</c>: replays the event log into the profile actors. It calls the
/// actors through the sidecar, so the Segmentation service that hosts them must be running.
/// </summary>
public static class RebuildCommand
{
    public const string Verb = "rebuild-profiles";
    private const string Usage = "usage: rebuild-profiles (no options; ConnectionStrings__Postgres and the sidecar's DAPR_HTTP_PORT come from the environment)";

    public static Task<int> RunAsync(string[] args) => CommandLineVerb.RunAsync(args, Usage, Console.Out, () =>
    {
        VerbOptions.Parse(args, []);
        return RebuildAsync();
    });

    private static async Task<int> RebuildAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddEventLogReader();
        builder.Services.AddSingleton<IActorProxyFactory>(new ActorProxyFactory(ActorHosting.ProxyOptions(builder.Configuration)));
        builder.Services.AddSingleton<CustomerProfiles>();
        builder.Services.AddSingleton<EventLogReader>();
        builder.Services.AddSingleton<ProfileFeedMetrics>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProfileFeeder>();
        builder.Services.AddSingleton<ProfileRebuilder>();
        using var host = builder.Build();

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var progress = new Progress<RebuildProgress>(p => Console.WriteLine($"  {p.Events} events, {p.Profiles} profiles (up to stream {p.LastStream})"));
        var result = await host.Services.GetRequiredService<ProfileRebuilder>().RebuildAsync(progress, cancel.Token);
        Console.WriteLine($"Rebuilt {result.Profiles} profiles from {result.Events} events.");
        return 0;
    }
}
