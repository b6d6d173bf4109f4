using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Personalization.Contracts.Catalog;
using Personalization.Contracts.EventLog;
using Personalization.Contracts.Privacy;
using Weasel.Core;

namespace Personalization.ServiceDefaults;

/// <summary>A read-only handle on the ingestion event log, for services that rebuild from it.</summary>
public interface IEventLogStore : IDocumentStore;

/// <summary>The event log's layout in Marten, shared by its writer (ingestion) and its readers (rebuilds).</summary>
public static class EventLog
{
    public const string Schema = "ingestion";

    /// <summary>
    /// Beside the log, in its schema: the user each anonymous id belongs to, per tenant (the first identify or alias
    /// that names both wins). Ingestion writes it before it stores the linking call.
    /// </summary>
    public const string IdentityLinksTable = "identity_links";

    public static void Configure(StoreOptions options)
    {
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AddEventType<EventAccepted>();
        options.Events.AddEventType<UserErased>();
    }

    /// <summary>Registers <see cref="IEventLogStore"/>; it never changes the schema, which ingestion owns.</summary>
    public static IHostApplicationBuilder AddEventLogReader(this IHostApplicationBuilder builder)
    {
        var connectionString = ConnectionStrings.GetRequired(builder.Configuration, ConnectionStrings.Postgres);
        builder.AddPostgresReadiness(connectionString);
        builder.Services.AddMartenStore<IEventLogStore>(options =>
        {
            options.Connection(connectionString);
            options.DatabaseSchemaName = Schema;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
            options.AutoCreateSchemaObjects = AutoCreate.None;
            Configure(options);
            // The catalog ingestion keeps beside the log, read by Recommendation for training and serving.
            options.Schema.For<CatalogItem>();
            // Consent set through ingestion's privacy API, read by Triggers before a personalised message goes.
            options.Schema.For<Consent>();
        });
        return builder;
    }
}
