using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Personalization.ServiceDefaults;
using Personalization.Triggers.Definitions;
using Personalization.Triggers.Journeys;
using Personalization.Triggers.Templates;

namespace Personalization.Triggers;

public static class TriggersRegistration
{
    /// <summary>The tenants' message templates and journeys, versioned in PostgreSQL, behind the admin credential.</summary>
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
        builder.Services.AddSingleton<JourneyValidation>();
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddAuthentication().AddAdminToken();
        builder.Services.AddAuthorization();
        return builder;
    }
}
