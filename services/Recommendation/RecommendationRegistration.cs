using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Personalization.Recommendation.Api;
using Personalization.Recommendation.Attribution;
using Personalization.Recommendation.Decisions;
using Personalization.Recommendation.Drift;
using Personalization.Recommendation.Experiments;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Scenarios;
using Personalization.Recommendation.Serving;
using Personalization.Recommendation.Training;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation;

public static class RecommendationRegistration
{
    /// <summary>Model versions and training jobs in PostgreSQL, the training worker, the served models and catalogs kept current, the serving API's read tokens and the admin credential; experiments; placements' content rules; attribution fed by the relay's events; the drift monitor.</summary>
    public static IHostApplicationBuilder AddRecommendation(this IHostApplicationBuilder builder)
    {
        var connectionString = ConnectionStrings.GetRequired(builder.Configuration, ConnectionStrings.Postgres);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddEventLogReader();
        builder.Services.AddSingleton<EventLogInteractionReader>();
        builder.Services.AddSingleton<RecommendationSchema>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<TrainingJobs>();
        builder.Services.AddOptions<TrainingSettings>().BindConfiguration(TrainingSettings.Section);
        builder.Services.AddHostedService<TrainingWorker>();
        builder.Services.AddHostedService<TrainingSchedule>();
        builder.Services.AddSingleton<ActiveModels>();
        builder.Services.AddOptions<ServingSettings>().BindConfiguration(ServingSettings.Section);
        builder.Services.AddSingleton<CatalogueReader>();
        builder.Services.AddSingleton<CatalogueCache>();
        builder.Services.AddSingleton<ProfileReader>();
        builder.Services.AddSingleton<Impressions>();
        builder.Services.AddSingleton<CandidateCache>();
        builder.Services.AddSingleton<ScenarioStore>();
        builder.Services.AddSingleton<ExperimentStore>();
        builder.Services.AddSingleton<RequestResolver>();
        builder.Services.AddSingleton<PlacementStore>();
        builder.Services.AddOptions<AttributionSettings>().BindConfiguration(AttributionSettings.Section);
        builder.Services.AddSingleton<AttributionStore>();
        builder.Services.AddSingleton<EventLogReader>();
        builder.Services.AddSingleton<AttributionRebuild>();
        builder.Services.AddOptions<DriftSettings>().BindConfiguration(DriftSettings.Section);
        builder.Services.AddSingleton<DriftStore>();
        builder.Services.AddSingleton<DriftMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DriftMonitor>());
        // Serving needs no broker: without one only attribution waits, so readiness shows it as degraded.
        builder.AddRabbitMqMessaging(bus =>
        {
            bus.AddConsumer<AttributionEventConsumer>();
            bus.AddConsumer<AttributionErasureConsumer>();
        }, readinessNeedsBroker: false);
        builder.Services.AddSingleton<ServingMetrics>();
        builder.Services.AddSingleton<Recommendations>();
        builder.Services.AddHostedService<ServingRefresher>();
        builder.AddTenantReaders("Recommendation");

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddAuthentication().AddAdminToken();
        builder.Services.AddAuthorization();
        return builder;
    }
}
