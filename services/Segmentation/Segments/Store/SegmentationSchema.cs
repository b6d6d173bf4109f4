using Npgsql;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Segments.Store;

/// <summary>
/// The service's own tables in PostgreSQL schema <c>segmentation</c>: segment definitions and their versions, who is
/// in which segment, every entry and exit (the outbox their messages are published from), the runs that bring a
/// tenant's people up to its segments after a change, and the discovered segments (RFM grid, clusterings) with the
/// report of each run that found them. <c>live_segments</c> lists both kinds as readers see them.
/// </summary>
public sealed class SegmentationSchema(NpgsqlDataSource dataSource) : OwnedSchema(dataSource, Name, Ddl)
{
    public const string Name = "segmentation";

    private const string Ddl = $"""
        create table if not exists {Name}.segments (
            tenant_id text not null,
            segment_id text not null,
            version int not null,
            name text not null,
            updated_at timestamptz not null,
            deleted_at timestamptz,
            primary key (tenant_id, segment_id));
        create table if not exists {Name}.segment_versions (
            tenant_id text not null,
            segment_id text not null,
            version int not null,
            definition jsonb not null,
            created_at timestamptz not null,
            primary key (tenant_id, segment_id, version));
        create table if not exists {Name}.memberships (
            tenant_id text not null,
            segment_id text not null,
            user_key text not null,
            version int not null,
            member boolean not null,
            since timestamptz,
            transitions int not null,
            primary key (tenant_id, segment_id, user_key));
        create index if not exists memberships_by_person on {Name}.memberships (tenant_id, user_key) where member;
        create table if not exists {Name}.transitions (
            id bigserial not null,
            tenant_id text not null,
            segment_id text not null,
            user_key text not null,
            number int not null,
            version int not null,
            entered boolean not null,
            at timestamptz not null,
            caused_by uuid,
            published_at timestamptz,
            primary key (tenant_id, segment_id, user_key, number));
        create table if not exists {Name}.catch_up (
            tenant_id text primary key,
            requested_at timestamptz not null,
            started_at timestamptz,
            heartbeat_at timestamptz,
            finished_at timestamptz,
            done bigint not null default 0,
            total bigint,
            error text);
        create index if not exists transitions_unpublished on {Name}.transitions (id) where published_at is null;
        alter table {Name}.transitions add column if not exists trace_parent text;
        create table if not exists {Name}.discovery_requests (like {Name}.catch_up including all);
        create table if not exists {Name}.discovery_runs (
            tenant_id text not null,
            method text not null,
            run int not null,
            as_of timestamptz not null,
            finished_at timestamptz not null,
            customers int not null,
            report jsonb not null,
            validation jsonb not null,
            primary key (tenant_id, method, run));
        create table if not exists {Name}.discovered_segments (
            tenant_id text not null,
            segment_id text not null,
            method text not null,
            run int not null,
            name text not null,
            description text not null,
            updated_at timestamptz not null,
            deleted_at timestamptz,
            primary key (tenant_id, segment_id));
        create table if not exists {Name}.soft_memberships (
            tenant_id text not null,
            method text not null,
            user_key text not null,
            run int not null,
            probabilities jsonb not null,
            primary key (tenant_id, method, user_key));
        create or replace view {Name}.live_segments as
            select s.tenant_id, s.segment_id, s.name, v.definition ->> 'description' as description, s.version, s.updated_at, 'rule' as kind
            from {Name}.segments s join {Name}.segment_versions v using (tenant_id, segment_id, version)
            where s.deleted_at is null
            union all
            select tenant_id, segment_id, name, description, run, updated_at, method
            from {Name}.discovered_segments where deleted_at is null;
        """;
}
