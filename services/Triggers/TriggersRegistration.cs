using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Broadcasts;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Delivery;
using Personalization.Triggers.Feedback;
using Personalization.Triggers.Journeys;
using Personalization.Triggers.Occurrences;
using Personalization.Triggers.Policy;
using Personalization.Triggers.Privacy;
using Personalization.Triggers.Push;
using Personalization.Triggers.Recommendations;
using Personalization.Triggers.Subscriptions;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers;

public static class TriggersRegistration
{
    /// <summary>
    /// The tenants' message templates, journeys and contact policies, versioned in PostgreSQL behind the admin
    /// credential; the JourneyOccurrence actors fed by the people's events and segment entries from RabbitMQ; the
    /// outbox and its delivery; profiles read through the Dapr sidecar and recommendations from the Recommendation
    /// service for rendering.
    /// </summary>
    public static IHostApplicationBuilder AddTriggers(this IHostApplicationBuilder builder)
    {
        var connectionString = ConnectionStrings.GetRequired(builder.Configuration, ConnectionStrings.Postgres);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.AddPostgresReadiness(connectionString);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddSingleton<TriggersSchema>();
        builder.Services.AddSingleton<DefinitionStore>();
        builder.Services.AddSingleton<TemplateStore>();
        builder.Services.AddSingleton<ProfileReader>();
        builder.Services.AddOptions<RecommendationSettings>().BindConfiguration(RecommendationSettings.Section);
        builder.Services.AddHttpClient<RecommendationClient>();
        builder.Services.AddTransient<TemplatePreview>();
        builder.Services.AddOptions<LinkSettings>().BindConfiguration(LinkSettings.Section)
            .Validate(s => s.IsValid, $"Links:Secret must be at least {LinkSettings.MinSecretLength} characters: it signs the links in messages.")
            .ValidateOnStart();
        builder.Services.AddSingleton<LinkSigner>();
        builder.Services.AddSingleton<SubscriptionStore>();
        builder.Services.AddOptions<EmailSettings>().BindConfiguration(EmailSettings.Section);
        builder.Services.AddSingleton<EmailSender>();
        builder.Services.AddSingleton<JourneyValidation>();
        builder.Services.AddSingleton<JourneyCatalog>();
        builder.Services.AddSingleton<ContactPolicies>();
        builder.AddEventLogReader();
        builder.Services.AddSingleton<EventLogReader>();
        builder.Services.AddSingleton<ConsentReader>();
        builder.Services.AddSingleton<Suppressions>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<MessageLog>();
        builder.Services.AddSingleton<MessageStatsReader>();
        builder.Services.AddSingleton<ProviderPipelines>();
        builder.Services.AddOptions<WebhookSettings>().BindConfiguration(WebhookSettings.Section);
        builder.Services.AddHttpClient(nameof(WebhookSender));
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<PushSubscriptions>();
        builder.Services.AddOptions<PushSettings>().BindConfiguration(PushSettings.Section);
        builder.Services.AddHttpClient(nameof(PushSender));
        builder.Services.AddSingleton<PushSender>();
        builder.Services.AddSingleton<MessageDispatcher>();
        builder.Services.AddSingleton<FeedbackStore>();
        builder.Services.AddSingleton<MessageFeedback>();
        builder.Services.AddOptions<FeedbackSettings>().BindConfiguration(FeedbackSettings.Section);
        builder.Services.AddHttpClient(nameof(FeedbackPoster));
        builder.Services.AddHostedService<FeedbackPoster>();
        builder.Services.AddOptions<DeliverySettings>().BindConfiguration(DeliverySettings.Section)
            .Validate(s => s.Batch is >= 1 and <= 1000, "Delivery:Batch takes 1 to 1000.").ValidateOnStart();
        builder.Services.AddHostedService<OutboxDelivery>();

        builder.AddActorHosting(actors => actors.Actors.RegisterActor<JourneyOccurrenceActor>());
        builder.Services.AddSingleton<JourneyMetrics>();
        builder.Services.AddSingleton<DeliveryMetrics>();
        builder.Services.AddSingleton<OccurrenceStore>();
        builder.Services.AddSingleton<JourneyStatsReader>();
        builder.Services.AddSingleton<OccurrenceFactsReader>();
        builder.Services.AddSingleton<Inbox>();
        builder.Services.AddOptions<InboxSettings>().BindConfiguration(InboxSettings.Section)
            .Validate(s => s.IsValid, "Inbox:Retention and Inbox:PruneEvery must be positive.").ValidateOnStart();
        builder.Services.AddHostedService<InboxPruning>();
        builder.Services.AddSingleton<PersonErasure>();
        builder.Services.AddSingleton<OccurrenceRouter>();
        builder.Services.AddHostedService<OverdueSweeper>();
        builder.Services.AddOptions<SegmentationSettings>().BindConfiguration(SegmentationSettings.Section);
        builder.Services.AddHttpClient(nameof(SegmentMembersClient));
        builder.Services.AddSingleton<SegmentMembersClient>();
        builder.Services.AddSingleton<BroadcastRuns>();
        builder.Services.AddHostedService<BroadcastScheduler>();
        builder.AddRabbitMqMessaging(bus =>
        {
            bus.AddConsumer<JourneyEventConsumer>();
            bus.AddConsumer<JourneySegmentConsumer>();
            bus.AddConsumer<PushSubscriptionConsumer>();
            bus.AddConsumer<TriggersErasureConsumer>();
        });
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddAuthentication().AddAdminToken();
        builder.Services.AddAuthorization();
        return builder;
    }
}
