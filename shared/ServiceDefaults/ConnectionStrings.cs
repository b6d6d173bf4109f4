using Microsoft.Extensions.Configuration;

namespace Personalization.ServiceDefaults;

/// <summary>Names of the connection strings every service reads; tools/infra.sh prints the local values.</summary>
public static class ConnectionStrings
{
    public const string Postgres = "Postgres";
    public const string RabbitMq = "RabbitMQ";

    public static string GetRequired(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Connection string '{name}' is not configured. Set ConnectionStrings__{name} (tools/infra.sh env prints the local values).");
}
