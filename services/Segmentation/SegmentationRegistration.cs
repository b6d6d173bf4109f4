using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Personalization.Segmentation.Profiles;
using Personalization.Segmentation.Segments;
using Personalization.Segmentation.Segments.CatchUp;
using Personalization.Segmentation.Segments.Discovery;
using Personalization.Segmentation.Segments.Discovery.Features;
using Personalization.Segmentation.Segments.Preview;
using Personalization.Segmentation.Segments.Store;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation;

public static class SegmentationRegistration
{
    /// <summary>Hosts the CustomerProfile actors, feeds them from RabbitMQ, and keeps the tenants' segments and their transitions in PostgreSQL.</summary>
    public static IHostApplicationBuilder AddSegmentation(this IHostApplicationBuilder builder)
    {
        builder.AddActorHosting(actors => actors.Actors.RegisterActor<CustomerProfileActor>());
        builder.AddDiscoveryJob();
        builder.Services.AddSingleton<SegmentStore>();
        builder.Services.AddSingleton<TenantSegments>();
        builder.Services.AddSingleton<MembershipLedger>();
        builder.Services.AddHostedService<TransitionPublisher>();
        builder.Services.AddSingleton<SegmentMembers>();
        builder.Services.AddSingleton<SegmentSizeHistory>();
        builder.Services.AddSingleton<CatchUpRuns>();
        builder.Services.AddHostedService<CatchUpWorker>();
        builder.Services.AddSingleton<SegmentPreviewer>();
        builder.Services.AddSingleton<DiscoveryRuns>();
        builder.Services.AddOptions<DiscoverySettings>().BindConfiguration(DiscoverySettings.Section)
            .Validate(s => s.IsValid, "Discovery:Every must be positive, and Discovery:BuyThreshold and Discovery:ChurnThreshold between 0 (excluded) and 1.")
            .ValidateOnStart();
        builder.Services.AddHostedService<DiscoveryWorker>();
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddAuthentication().AddAdminToken();
        builder.AddTenantReaders("Segmentation");
        builder.Services.AddSingleton<CustomerProfiles>();
        builder.Services.AddSingleton<ProfileFeedMetrics>();
        builder.Services.AddSingleton<IProfileFeed, ProfileFeeder>();
        builder.Services.AddSingleton<ProfileFeedQueue>();
        builder.Services.AddOptions<ProfileFeedOptions>().BindConfiguration(ProfileFeedOptions.Section)
            .Validate(o => o.IsValid, "Profiles:Feed:MessagesAtOnce and CallsAtOnce must be at least 1.")
            .ValidateOnStart();
        builder.AddRabbitMqMessaging(bus =>
        {
            bus.AddConsumer<EventsRecordedConsumer>(typeof(EventsRecordedConsumerDefinition));
            bus.AddConsumer<ProfileErasureConsumer>();
        });
        return builder;
    }

    /// <summary>
    /// What a discovery run needs, and no more: the event log, the service's schema and the discovery job. The
    /// service and the <c>discover-segments</c> verb both start from it.
    /// </summary>
    public static IHostApplicationBuilder AddDiscoveryJob(this IHostApplicationBuilder builder)
    {
        var connectionString = ConnectionStrings.GetRequired(builder.Configuration, ConnectionStrings.Postgres);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SegmentationSchema>();
        builder.AddEventLogReader();
        builder.Services.AddSingleton<EventLogReader>();
        builder.Services.AddSingleton<CatalogueReader>();
        builder.Services.AddSingleton<CustomerFeatureReader>();
        builder.Services.AddSingleton<DiscoveryStore>();
        builder.Services.AddSingleton<DiscoveryJob>();
        return builder;
    }
}
