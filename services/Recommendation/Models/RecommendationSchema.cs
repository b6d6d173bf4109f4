using Npgsql;
using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Models;

/// <summary>
/// The service's own tables in PostgreSQL schema <c>recommendation</c>: model versions, the active version per
/// tenant, training jobs, scenarios, experiments and who is in which of their variants, and the
/// impressions, clicks and orders attribution reads from the event log,
/// every version of each placement's content rules, and the drift checks of served models.
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
        create table if not exists {Name}.experiments (
            tenant_id text not null,
            id text not null,
            target text not null,
            definition jsonb not null,
            state text not null,
            created_at timestamptz not null,
            updated_at timestamptz not null,
            stopped_at timestamptz,
            promoted text,
            primary key (tenant_id, id));
        create unique index if not exists experiments_running_per_target on {Name}.experiments (tenant_id, target) where state = 'Running';
        create table if not exists {Name}.experiment_assignments (
            tenant_id text not null,
            experiment_id text not null,
            person text not null,
            variant text not null,
            assigned_at timestamptz not null,
            primary key (tenant_id, experiment_id, person));
        create table if not exists {Name}.attribution_views (
            event_id uuid primary key,
            tenant_id text not null,
            recommendation_id text not null,
            person text not null,
            anonymous_id text,
            stream_key text not null,
            at timestamptz not null,
            model_version int,
            scenario text,
            experiment text,
            variant text,
            shown int not null);
        create index if not exists attribution_views_response on {Name}.attribution_views (tenant_id, recommendation_id);
        create index if not exists attribution_views_time on {Name}.attribution_views (tenant_id, at);
        create table if not exists {Name}.attribution_clicks (
            event_id uuid primary key,
            tenant_id text not null,
            recommendation_id text not null,
            person text not null,
            anonymous_id text,
            stream_key text not null,
            at timestamptz not null,
            model_version int,
            scenario text,
            experiment text,
            variant text,
            item_id text not null,
            position int);
        create index if not exists attribution_clicks_item on {Name}.attribution_clicks (tenant_id, item_id);
        create index if not exists attribution_clicks_response on {Name}.attribution_clicks (tenant_id, recommendation_id);
        create table if not exists {Name}.attribution_orders (
            event_id uuid not null,
            line int not null,
            tenant_id text not null,
            person text not null,
            anonymous_id text,
            stream_key text not null,
            at timestamptz not null,
            order_id text,
            item_id text not null,
            revenue numeric not null,
            primary key (event_id, line));
        create index if not exists attribution_orders_item on {Name}.attribution_orders (tenant_id, item_id);
        create table if not exists {Name}.placement_versions (
            tenant_id text not null,
            placement_id text not null,
            version int not null,
            definition jsonb not null,
            note text,
            created_at timestamptz not null,
            primary key (tenant_id, placement_id, version));
        create table if not exists {Name}.drift_checks (
            id uuid primary key,
            tenant_id text not null,
            version int not null,
            checked_at timestamptz not null,
            drifted boolean not null,
            action text not null,
            job_id uuid,
            report jsonb not null);
        create index if not exists drift_checks_latest on {Name}.drift_checks (tenant_id, checked_at desc);
        """;
}
