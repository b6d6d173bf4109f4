using JasperFx;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Weasel.Core;

namespace Personalization.ServiceDefaults;

public static class MartenRegistration
{
    private sealed class PostgresReadinessAdded;

    /// <summary>PostgreSQL joins the readiness check once, however many stores a service registers.</summary>
    public static void AddPostgresReadiness(this IHostApplicationBuilder builder, string connectionString)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(PostgresReadinessAdded))) return;
        builder.Services.AddSingleton<PostgresReadinessAdded>();
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", tags: [ServiceDefaultsExtensions.ReadyTag]);
    }

    /// <summary>
    /// Registers the service's Marten store in its own PostgreSQL schema, sharing one NpgsqlDataSource with
    /// code that needs plain SQL, and adds PostgreSQL to the readiness check.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddMartenStore(
        this IHostApplicationBuilder builder, string schema, Action<StoreOptions> configure)
    {
        var connectionString = ConnectionStrings.GetRequired(builder.Configuration, ConnectionStrings.Postgres);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.AddPostgresReadiness(connectionString);

        return builder.Services
            .AddMarten(options =>
            {
                options.DatabaseSchemaName = schema;
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                configure(options);
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup();
    }
}
