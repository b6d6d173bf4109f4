using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalization.ServiceDefaults;

namespace Personalization.Ingestion.Relay;

public static class RelayRegistration
{
    /// <summary>The relay role: Marten's async daemon publishing the event log to RabbitMQ, its lag and its readiness.</summary>
    public static IHostApplicationBuilder AddRelay(this IHostApplicationBuilder builder, MartenServiceCollectionExtensions.MartenConfigurationExpression marten)
    {
        builder.Services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RelayOutage>();
        builder.Services.AddSingleton<RelayLag>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RelayLag>());
        builder.Services.AddHealthChecks().AddCheck<RelayHealthCheck>("relay", tags: [ServiceDefaultsExtensions.ReadyTag]);

        builder.AddRabbitMqMessaging();
        marten.AddSubscriptionWithServices<RabbitMqRelay>(ServiceLifetime.Singleton);
        builder.Services.ConfigureMarten((services, options) =>
        {
            var poll = services.GetRequiredService<IOptions<RelayOptions>>().Value.PollInterval;
            options.Projections.FastPollingTime = poll;
            options.Projections.SlowPollingTime = poll;
        });
        // Solo: exactly one relay process. HotCold needs a distributed lock that fails to load here.
        marten.AddAsyncDaemon(DaemonMode.Solo);
        return builder;
    }
}
