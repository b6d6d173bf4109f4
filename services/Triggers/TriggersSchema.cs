using Npgsql;
using Personalization.ServiceDefaults;

namespace Personalization.Triggers;

/// <summary>
/// The service's own tables in PostgreSQL schema <c>triggers</c>: every version of every template and journey
/// (with its author's note and what changed from the version before), each one's current state, and the
/// subscription groups people have left; the journeys' occurrences, what happened at each of their steps, the
/// outbox of messages to send (and whether each was opened and clicked), the feedback events on their way to
/// ingestion, the inbox of messages acted on, the people's push subscriptions, and the channels suppressed after
/// hard bounces.
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
        create table if not exists {Name}.occurrences (
            actor_id text not null,
            number int not null,
            tenant_id text not null,
            journey_id text not null,
            version int not null,
            user_id text not null,
            key text not null,
            entry_id text not null,
            entry_event jsonb not null,
            entered_at timestamptz not null,
            holdout boolean not null,
            status text not null,
            step_id text,
            step_started_at timestamptz,
            due_at timestamptz,
            end_reason text,
            updated_at timestamptz not null,
            primary key (actor_id, number),
            unique (actor_id, entry_id));
        create index if not exists occurrences_person on {Name}.occurrences (tenant_id, user_id) where status = 'Waiting';
        create index if not exists occurrences_journey on {Name}.occurrences (tenant_id, journey_id, user_id);
        create index if not exists occurrences_due on {Name}.occurrences (due_at) where status = 'Waiting';
        create table if not exists {Name}.journey_log (
            tenant_id text not null,
            journey_id text not null,
            version int not null,
            user_id text not null,
            actor_id text not null,
            number int not null,
            step_id text,
            outcome text not null,
            detail text,
            at timestamptz not null);
        create index if not exists journey_log_journey on {Name}.journey_log (tenant_id, journey_id, outcome);
        create index if not exists journey_log_person on {Name}.journey_log (tenant_id, user_id);
        create table if not exists {Name}.outbox (
            send_key text primary key,
            tenant_id text not null,
            journey_id text not null,
            version int not null,
            user_id text not null,
            actor_id text not null,
            number int not null,
            step_id text not null,
            channel text not null,
            template_id text not null,
            scenario text,
            url text,
            group_id text,
            entry_event jsonb not null,
            created_at timestamptz not null,
            not_before timestamptz not null,
            status text not null,
            attempts int not null default 0,
            lease_until timestamptz,
            last_error text,
            reason text,
            recommendation_id text,
            sent_at timestamptz);
        alter table {Name}.outbox add column if not exists opened_at timestamptz, add column if not exists clicked_at timestamptz,
            add column if not exists trace_parent text;
        create index if not exists outbox_due on {Name}.outbox (not_before) where status = 'Pending';
        create index if not exists outbox_user on {Name}.outbox (tenant_id, user_id, sent_at);
        create index if not exists outbox_journey on {Name}.outbox (tenant_id, journey_id, created_at);
        create index if not exists outbox_created on {Name}.outbox (tenant_id, created_at);
        create index if not exists journey_log_at on {Name}.journey_log (tenant_id, at);
        create table if not exists {Name}.feedback (
            message_id text primary key,
            tenant_id text not null,
            user_id text not null,
            event text not null,
            properties jsonb not null,
            at timestamptz not null,
            posted_at timestamptz);
        alter table {Name}.feedback add column if not exists refused text;
        create index if not exists feedback_pending on {Name}.feedback (at) where posted_at is null;
        create index if not exists feedback_person on {Name}.feedback (tenant_id, user_id);
        create table if not exists {Name}.inbox (
            message_id text primary key,
            at timestamptz not null);
        -- Marked in time order, so a block-range summary finds the expired ones at almost no cost per mark.
        create index if not exists inbox_at on {Name}.inbox using brin (at);
        create table if not exists {Name}.push_subscriptions (
            tenant_id text not null,
            endpoint text not null,
            user_id text not null,
            p256dh text not null,
            auth text not null,
            at timestamptz not null,
            primary key (tenant_id, endpoint));
        create index if not exists push_subscriptions_person on {Name}.push_subscriptions (tenant_id, user_id);
        create table if not exists {Name}.broadcast_runs (
            tenant_id text not null,
            journey_id text not null,
            run_at timestamptz not null,
            state text not null,
            cursor text,
            lease_until timestamptz,
            primary key (tenant_id, journey_id, run_at));
        create table if not exists {Name}.suppressions (
            tenant_id text not null,
            user_id text not null,
            channel text not null,
            reason text not null,
            at timestamptz not null,
            primary key (tenant_id, user_id, channel));
        """;
}
