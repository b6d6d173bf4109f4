using Marten;
using Personalization.Contracts.Privacy;
using Personalization.Contracts;
using Personalization.Ingestion.Privacy;
using Personalization.Ingestion.Storage;
using Personalization.Ingestion.Tests.Storage;
using Personalization.TestSupport;

namespace Personalization.Ingestion.Tests.Privacy;

/// <summary>Two replicas' consent directories over one real database: changes through one reach the other.</summary>
public class ConsentDirectoryTests
{
    private TestDatabase _database = null!;
    private DocumentStore _store = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("consent");
        _store = DocumentStore.For(options =>
        {
            options.Connection(_database.ConnectionString);
            options.DatabaseSchemaName = IngestionStore.Schema;
            options.Schema.For<Consent>().Index(c => c.UpdatedAt);
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task SaveAsync(Consent consent)
    {
        await using var session = _store.LightweightSession();
        session.Store(consent);
        await session.SaveChangesAsync();
    }

    // Whether an event of the user behind a consent id comes out flagged.
    private static async Task<bool> DeniesAsync(ConsentDirectory directory, string id)
    {
        var (tenant, user) = (id[..id.IndexOf('/')], id[(id.IndexOf('/') + 1)..]);
        var flagged = await directory.FlagWithdrawnAsync([WriterHost.Event(tenant, user, "m")], CancellationToken.None);
        return flagged.Single().Flags.HasFlag(EventFlags.NoConsent);
    }

    [Test]
    public async Task A_withdrawal_applies_at_once_where_it_was_made_and_within_a_refresh_elsewhere()
    {
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        var (here, elsewhere) = (new ConsentDirectory(_store, clock), new ConsentDirectory(_store, clock));
        var tenant = WriterHost.NewTenant();
        var (early, late) = (Consent.IdFor(tenant, "early"), Consent.IdFor(tenant, "late"));

        var withdrawn = new Consent(early, tenant, "early", false, clock.Now);
        await SaveAsync(withdrawn);
        here.Record(withdrawn);
        Assert.That(await DeniesAsync(here, early), Is.True, "the replica that took the change");
        Assert.That(await DeniesAsync(elsewhere, early), Is.True, "another replica's first load");

        clock.Now += TimeSpan.FromSeconds(1);
        await SaveAsync(new Consent(late, tenant, "late", false, clock.Now));
        await SaveAsync(withdrawn with { Personalization = true, UpdatedAt = clock.Now });
        clock.Now += ConsentDirectory.RefreshEvery;

        Assert.That(await DeniesAsync(elsewhere, late), Is.True, "a later withdrawal arrives with the next refresh");
        Assert.That(await DeniesAsync(elsewhere, early), Is.False, "so does a consent given again");
    }

    [Test]
    public async Task Erased_consent_is_forgotten_here_at_once_and_elsewhere_by_the_next_full_reload()
    {
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        var (here, elsewhere) = (new ConsentDirectory(_store, clock), new ConsentDirectory(_store, clock));
        var tenant = WriterHost.NewTenant();
        var id = Consent.IdFor(tenant, "erased");
        await SaveAsync(new Consent(id, tenant, "erased", false, clock.Now));
        Assert.That(await DeniesAsync(here, id) && await DeniesAsync(elsewhere, id), Is.True);

        await using (var session = _store.LightweightSession())
        {
            session.Delete<Consent>(id);
            await session.SaveChangesAsync();
        }
        here.Forget(id);
        clock.Now += ConsentDirectory.ReloadEvery;

        Assert.That(await DeniesAsync(here, id), Is.False);
        Assert.That(await DeniesAsync(elsewhere, id), Is.False);
    }
}
