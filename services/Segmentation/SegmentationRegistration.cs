using Personalization.Segmentation.Profiles;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation;

public static class SegmentationRegistration
{
    public static IHostApplicationBuilder AddSegmentation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddMartenStore(SegmentationStore.Schema, SegmentationStore.ConfigureMarten);
        builder.Services.AddScoped<EventCounter>();
        builder.AddRabbitMqMessaging(bus => bus.AddConsumer<EventRecordedConsumer>());
        return builder;
    }
}
