using Npgsql;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Models;

/// <summary>
/// The service's own tables in PostgreSQL schema <c>recommendation</c>: model versions, the active version per
/// tenant, training jobs, scenarios.
/// </summary>
public sealed class RecommendationSchema(NpgsqlDataSource dataSource) : OwnedSchema(dataSource, Name, Ddl)
{
    public const string Name = "recommendation";

    private const string Ddl = $"""
        create table if not exists {Name}.model_versions (
            tenant_id text not null,
            version int not null,
            created_at timestamptz not null,
            algorithm text not null,
            settings jsonb not null,
            summary jsonb not null,
            payload bytea not null,
            primary key (tenant_id, version));
        create table if not exists {Name}.active_models (
            tenant_id text primary key,
            version int not null,
            activated_at timestamptz not null,
            previous int,
            foreign key (tenant_id, version) references {Name}.model_versions (tenant_id, version));
        create table if not exists {Name}.training_jobs (
            id uuid primary key,
            tenant_id text not null,
            state text not null,
            requested_at timestamptz not null,
            started_at timestamptz,
            finished_at timestamptz,
            progress text,
            version int,
            activated boolean,
            error text,
            passed_over jsonb);
        alter table {Name}.training_jobs add column if not exists heartbeat_at timestamptz;
        alter table {Name}.training_jobs add column if not exists attempts int not null default 0;
        create index if not exists training_jobs_queued on {Name}.training_jobs (requested_at) where state = 'queued';
        create table if not exists {Name}.scenarios (
            tenant_id text not null,
            name text not null,
            definition jsonb not null,
            updated_at timestamptz not null,
            primary key (tenant_id, name));
        """;
}
