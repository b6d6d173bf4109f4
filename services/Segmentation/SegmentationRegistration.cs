using Personalization.Segmentation.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation;

public static class SegmentationRegistration
{
    /// <summary>Hosts the CustomerProfile actors and feeds them from RabbitMQ.</summary>
    public static IHostApplicationBuilder AddSegmentation(this IHostApplicationBuilder builder)
    {
        builder.AddActorHosting(actors => actors.Actors.RegisterActor<CustomerProfileActor>());
        builder.AddTenantReaders("Segmentation");
        builder.Services.AddSingleton<CustomerProfiles>();
        builder.AddEventLogReader();
        builder.Services.AddSingleton<EventLogReader>();
        builder.Services.AddSingleton<ProfileFeeder>();
        builder.AddRabbitMqMessaging(bus =>
        {
            bus.AddConsumer<EventRecordedConsumer>();
            bus.AddConsumer<ProfileErasureConsumer>();
        });
        return builder;
    }
}
