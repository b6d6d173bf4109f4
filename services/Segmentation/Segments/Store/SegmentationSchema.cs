using Npgsql;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Segments.Store;

/// <summary>
/// The service's own tables in PostgreSQL schema <c>segmentation</c>: segment definitions and their versions, who is
/// in which segment, every entry and exit (the outbox their messages are published from), and the runs that bring a
/// tenant's people up to its segments after a change.
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
        """;
}
