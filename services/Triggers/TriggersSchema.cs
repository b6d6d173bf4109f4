using Npgsql;
using Personalization.ServiceDefaults;

namespace Personalization.Triggers;

/// <summary>
/// The service's own tables in PostgreSQL schema <c>triggers</c>: every version of every template and journey
/// (with its author's note and what changed from the version before), each one's current state, and the
/// subscription groups people have left.
/// </summary>
public sealed class TriggersSchema(NpgsqlDataSource dataSource) : OwnedSchema(dataSource, Name, Ddl)
{
    public const string Name = "triggers";

    private const string Ddl = $"""
        create table if not exists {Name}.definition_versions (
            tenant_id text not null,
            kind text not null,
            id text not null,
            version int not null,
            body jsonb not null,
            note text,
            changes jsonb not null,
            created_at timestamptz not null,
            primary key (tenant_id, kind, id, version));
        create table if not exists {Name}.definitions (
            tenant_id text not null,
            kind text not null,
            id text not null,
            name text not null,
            version int not null,
            status text not null,
            published_version int,
            updated_at timestamptz not null,
            primary key (tenant_id, kind, id));
        create table if not exists {Name}.unsubscribes (
            tenant_id text not null,
            user_id text not null,
            group_id text not null,
            at timestamptz not null,
            primary key (tenant_id, user_id, group_id));
        """;
}
