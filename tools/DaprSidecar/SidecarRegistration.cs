using Microsoft.Extensions.Options;
using Npgsql;
using Personalization.DaprSidecar.Actors;
using Personalization.DaprSidecar.Discovery;
using Personalization.DaprSidecar.Http;
using Personalization.DaprSidecar.Placement;
using Personalization.DaprSidecar.Reminders;
using Personalization.DaprSidecar.State;
using Personalization.DaprSidecar.Storage;
using Personalization.DaprSidecar.Timers;

namespace Personalization.DaprSidecar;

public static class SidecarRegistration
{
    /// <summary>The emulator's services and settings (section <c>Sidecar</c>, validated at start).</summary>
    public static WebApplicationBuilder AddDaprSidecar(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SidecarOptions>()
            .BindConfiguration(SidecarOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.PostgresConnectionString ??= configuration.GetConnectionString("Postgres");
                // The standard Dapr variables, read from configuration first and then the environment, as the SDK does.
                options.ApiToken ??= NonEmpty(configuration["DAPR_API_TOKEN"]) ?? NonEmpty(Environment.GetEnvironmentVariable("DAPR_API_TOKEN"));
                options.AppApiToken ??= NonEmpty(configuration["APP_API_TOKEN"]) ?? NonEmpty(Environment.GetEnvironmentVariable("APP_API_TOKEN"));
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SidecarOptions>, SidecarOptionsValidator>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => NpgsqlDataSource.Create(SidecarDatabase.WithPreparedStatements(sp.GetRequiredService<IOptions<SidecarOptions>>().Value.PostgresConnectionString!)));
        builder.Services.AddSingleton<SidecarDatabase>();
        // Registered first so the tables exist before the other services start and before the server listens.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SidecarDatabase>());

        builder.Services.AddSingleton<AppChannel>();
        builder.Services.AddSingleton<ActorTypeDirectory>();
        builder.Services.AddHostedService<AppDiscoveryService>();

        builder.Services.AddSingleton<ActorTable>();
        builder.Services.AddSingleton<PlacementStore>();
        builder.Services.AddSingleton<ActorPlacement>();
        builder.Services.AddSingleton<ActorTurns>();
        builder.Services.AddSingleton<ActorDeactivator>();
        // Before the server listens, this host holds a lease (with placement on); on stop it hands its actors over.
        builder.Services.AddHostedService<PlacementService>();
        builder.Services.AddHostedService<IdleDeactivationService>();
        builder.Services.AddSingleton<ActorTimers>();

        builder.Services.AddSingleton<ActorStateStore>();
        builder.Services.AddSingleton<ReminderStore>();
        builder.Services.AddSingleton<ReminderScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReminderScheduler>());
        return builder;
    }

    /// <summary>Middleware and routes, in daprd's order: normalise the path, check the token, then route.</summary>
    public static WebApplication MapDaprSidecar(this WebApplication app)
    {
        app.UseCollapsedSlashes();
        app.UseDaprErrorBodies();
        app.UseDaprApiToken();
        app.UseRouting();

        app.MapHealthApi();
        app.MapMetadataApi();
        app.MapActorInvocationApi();
        app.MapActorStateApi();
        app.MapReminderApi();
        app.MapTimerApi();
        app.MapUnsupportedApi();
        return app;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
