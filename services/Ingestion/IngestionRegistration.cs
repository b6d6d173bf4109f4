using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Privacy;
using Personalization.Ingestion.Auth;
using Personalization.Ingestion.Catalog;
using Personalization.Ingestion.Debugger;
using Personalization.Ingestion.Metrics;
using Personalization.Ingestion.Pipeline;
using Personalization.Ingestion.RateLimiting;
using Personalization.Ingestion.Screening;
using Personalization.Ingestion.Identity;
using Personalization.Ingestion.Privacy;
using Personalization.Ingestion.Relay;
using Personalization.Ingestion.Sources;
using Personalization.Ingestion.Storage;
using Personalization.Ingestion.TrackingPlans;
using Personalization.Ingestion.Validation;
using Personalization.ServiceDefaults;

namespace Personalization.Ingestion;

public static class IngestionRegistration
{
    /// <summary>Wires the role named by <c>Ingestion:Role</c>: the tracking API, or the relay.</summary>
    public static IngestionRole AddIngestion(this WebApplicationBuilder builder)
    {
        var role = builder.Configuration.GetValue(IngestionOptions.Section + ":" + nameof(IngestionOptions.Role), IngestionRole.Api);
        var marten = builder.AddIngestionStore();

        if (role == IngestionRole.Relay)
        {
            builder.AddRelay(marten);
            return role;
        }

        builder.AddGroupCommitWriter();
        builder.AddDedupCleanup();
        builder.Services.AddIngestionOptions<RequestLimits>();
        builder.Services.AddSingleton<RequestBodyReader>();
        builder.Services.AddSingleton<IngestionMetrics>();
        builder.Services.AddSingleton<TrackingPlanRegistry>();
        builder.Services.AddOptions<ScreeningOptions>().BindConfiguration(ScreeningOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<BurstDetector>();
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IdentityResolver>();
        builder.Services.AddSingleton<ConsentDirectory>();
        builder.Services.AddScoped<UserErasure>();
        builder.Services.AddScoped<UserExport>();
        // The API publishes only erasure commands; events reach RabbitMQ through the relay. So the API stays in service
        // while the broker is away: tracking calls are stored in PostgreSQL all the same.
        builder.AddRabbitMqMessaging(readinessNeedsBroker: false);
        builder.Services.AddSingleton<EventScreening>();
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddSingleton<EventPreparation>();
        builder.Services.AddSingleton<TrackingPipeline>();
        builder.Services.AddSingleton<LiveEventsReader>();
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddSingleton<UserSearch>();
        builder.Services.AddMemoryCache();
        builder.Services.AddIngestionOptions<WriteKeyOptions>();
        builder.Services.AddSingleton<WriteKeyDirectory>();
        builder.Services.AddSingleton<SourceSettings>();
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddAuthentication(WriteKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, WriteKeyAuthentication>(WriteKeyAuthentication.SchemeName, null)
            .AddAdminToken();
        builder.Services.AddAuthorization();
        builder.AddWriteKeyRateLimits();
        builder.AddCatalog();
        return role;
    }

    /// <summary>The ingestion schema in Marten: the event log and everything kept beside it.</summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddIngestionStore(this IHostApplicationBuilder builder) =>
        builder.AddMartenStore(IngestionStore.Schema, options =>
        {
            IngestionStore.ConfigureMarten(options);
            SourcesStore.ConfigureMarten(options);
            CatalogStore.ConfigureMarten(options);
            TrackingPlansStore.ConfigureMarten(options);
            IdentityLinks.ConfigureMarten(options);
            options.Schema.For<Consent>().Index(c => c.TenantId).Index(c => c.UpdatedAt);
        });

    /// <summary>Binds one feature's options to the flat <c>Ingestion</c> section, checked at start.</summary>
    public static OptionsBuilder<T> AddIngestionOptions<T>(this IServiceCollection services) where T : class =>
        services.AddOptions<T>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>The group-commit writer and its settings; needs the ingestion Marten store.</summary>
    public static IHostApplicationBuilder AddGroupCommitWriter(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIngestionOptions<GroupCommitOptions>();
        builder.Services.AddIngestionOptions<DedupOptions>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventCountFlusher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventCountFlusher>());
        builder.Services.AddSingleton<GroupCommitWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        return builder;
    }
}
