using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Personalization.Recommendation.Models;
using Personalization.Recommendation.Training;
using Personalization.TestSupport;

namespace Personalization.Recommendation.Tests.Training;

/// <summary>Training jobs in a real PostgreSQL database of their own: scheduled queueing and the running job's lease.</summary>
public class TrainingJobsTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private TrainingJobs _jobs = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("training_jobs");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        _jobs = new TrainingJobs(_dataSource, new RecommendationSchema(_dataSource), _clock);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [SetUp]
    public async Task EmptyAsync()
    {
        await _jobs.ClaimNextAsync(Lease, CancellationToken.None); // creates the schema
        await using var delete = _dataSource.CreateCommand("delete from recommendation.training_jobs");
        await delete.ExecuteNonQueryAsync();
    }

    private static string Tenant() => "t-" + Guid.NewGuid().ToString("N")[..8];

    private Task<long> CountAsync(string tenant) =>
        _database.ScalarAsync<long>("select count(*) from recommendation.training_jobs where tenant_id = @t", ("t", tenant));

    [Test]
    public async Task Replicas_queueing_a_due_tenant_at_once_queue_one_job()
    {
        var tenant = Tenant();
        var queued = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _jobs.QueueUnlessAskedSinceAsync(tenant, _clock.GetUtcNow() - TimeSpan.FromHours(6), CancellationToken.None)));
        Assert.That(queued.Count(q => q is not null), Is.EqualTo(1));
        Assert.That(await CountAsync(tenant), Is.EqualTo(1));
    }

    [Test]
    public async Task A_tenant_is_due_again_only_after_the_interval_and_when_nothing_waits()
    {
        var tenant = Tenant();
        var interval = TimeSpan.FromHours(6);
        Assert.That(await _jobs.QueueUnlessAskedSinceAsync(tenant, _clock.GetUtcNow() - interval, CancellationToken.None), Is.Not.Null);
        var job = (await _jobs.ClaimNextAsync(Lease, CancellationToken.None))!;
        _clock.Advance(TimeSpan.FromHours(7));
        Assert.That(await _jobs.QueueUnlessAskedSinceAsync(tenant, _clock.GetUtcNow() - interval, CancellationToken.None), Is.Null, "the last job still runs");
        await _jobs.SucceedAsync(job.Id, 1, true, [], CancellationToken.None);
        Assert.That(await _jobs.QueueUnlessAskedSinceAsync(tenant, _clock.GetUtcNow() - interval, CancellationToken.None), Is.Not.Null);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.That(await _jobs.QueueUnlessAskedSinceAsync(tenant, _clock.GetUtcNow() - interval, CancellationToken.None), Is.Null, "one was asked for within the interval");
        Assert.That(await CountAsync(tenant), Is.EqualTo(2));
    }

    [Test]
    public async Task A_job_whose_worker_stopped_is_taken_again_when_its_lease_lapses_and_failed_after_three_tries()
    {
        var queued = await _jobs.QueueAsync(Tenant(), CancellationToken.None);
        var first = await _jobs.ClaimNextAsync(Lease, CancellationToken.None);
        Assert.That(first?.Id, Is.EqualTo(queued.Id));

        _clock.Advance(Lease / 2);
        await _jobs.HeartbeatAsync(queued.Id, CancellationToken.None);
        _clock.Advance(Lease / 2 + TimeSpan.FromSeconds(1));
        Assert.That(await _jobs.ClaimNextAsync(Lease, CancellationToken.None), Is.Null, "the heartbeat renewed the lease");

        for (var attempt = 2; attempt <= TrainingJobs.MaxAttempts; attempt++)
        {
            _clock.Advance(Lease + TimeSpan.FromSeconds(1));
            var again = await _jobs.ClaimNextAsync(Lease, CancellationToken.None);
            Assert.That((again?.Id, again?.State, again?.Progress),
                Is.EqualTo(((Guid?)queued.Id, (string?)TrainingJob.Running, (string?)"started again: its previous worker stopped")));
        }
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.That(await _jobs.ClaimNextAsync(Lease, CancellationToken.None), Is.Null);
        var failed = (await _jobs.GetAsync(queued.TenantId, queued.Id, CancellationToken.None))!;
        Assert.That(failed.State, Is.EqualTo(TrainingJob.Failed));
        Assert.That(failed.Error, Does.StartWith("abandoned"));
    }
}
