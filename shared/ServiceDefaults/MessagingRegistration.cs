using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalization.ServiceDefaults;

public static class MessagingRegistration
{
    /// <summary>
    /// MassTransit over RabbitMQ from <c>ConnectionStrings:RabbitMQ</c> (an amqp:// URI with credentials).
    /// Retry is configured here once for every endpoint, and the bus joins the readiness check.
    /// <c>Messaging:QueuePrefix</c> gives queues a prefix, so several environments can share one broker;
    /// <c>Messaging:TemporaryQueues</c> makes them auto-delete, for test runs that must leave nothing behind.
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="configure">Consumers and other bus settings of the service.</param>
    /// <param name="readinessNeedsBroker">
    /// False for a service that does its main work without the broker (the tracking API stores events in PostgreSQL):
    /// a lost broker then shows in its readiness as Degraded, which still answers 200, instead of taking it out of service.
    /// </param>
    public static IHostApplicationBuilder AddRabbitMqMessaging(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null, bool readinessNeedsBroker = true)
    {
        var failureStatus = readinessNeedsBroker ? HealthStatus.Unhealthy : HealthStatus.Degraded;
        var uri = new Uri(ConnectionStrings.GetRequired(builder.Configuration, ConnectionStrings.RabbitMq));
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit would otherwise post usage data to its vendor five minutes after start: a self-hosted
            // platform contacts nothing it was not configured to.
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(builder.Configuration["Messaging:QueuePrefix"], includeNamespace: false));
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "masstransit";
                health.MinimalFailureStatus = failureStatus;
                health.Tags.Add(ServiceDefaultsExtensions.ReadyTag);
            });
            if (builder.Configuration.GetValue<bool>("Messaging:TemporaryQueues"))
                bus.AddConfigureEndpointsCallback((_, endpoint) =>
                {
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    {
                        rabbit.AutoDelete = true;
                        rabbit.Durable = false;
                    }
                });
            configure?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri, host =>
                {
                    if (credentials is [var user, var password])
                    {
                        host.Username(user);
                        host.Password(password);
                    }
                });
                // Consumers here mostly wait on I/O (actor calls), so more messages in flight means more throughput.
                rabbit.PrefetchCount = builder.Configuration.GetValue("Messaging:PrefetchCount", 128);
                rabbit.UseMessageRetry(retry => retry.Exponential(10, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddSingleton(sp => new QueueDepths(uri, sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<ILogger<QueueDepths>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueDepths>());
        builder.Services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<QueueDepths>());
        // One instance, so its probe connection lasts from check to check.
        builder.Services.AddSingleton(_ => new BrokerConnectionHealthCheck(uri));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "rabbitmq", sp => sp.GetRequiredService<BrokerConnectionHealthCheck>(), failureStatus, [ServiceDefaultsExtensions.ReadyTag]));
        return builder;
    }
}
