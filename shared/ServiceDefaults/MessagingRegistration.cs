using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Personalization.ServiceDefaults;

public static class MessagingRegistration
{
    /// <summary>
    /// MassTransit over RabbitMQ from <c>ConnectionStrings:RabbitMQ</c> (an amqp:// URI with credentials).
    /// Retry is configured here once for every endpoint; MassTransit adds the bus to the readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddRabbitMqMessaging(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var uri = new Uri(ConnectionStrings.GetRequired(builder.Configuration, ConnectionStrings.RabbitMq));
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
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
                rabbit.UseMessageRetry(retry => retry.Exponential(10, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
