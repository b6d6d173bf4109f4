using Npgsql;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;
using Personalization.TestSupport;

namespace Personalization.Recommendation.Tests.Models;

/// <summary>Model versions in a real PostgreSQL database of their own.</summary>
public class ModelRegistryTests
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ModelRegistry _registry = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("model_registry");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        _registry = new ModelRegistry(_dataSource, new RecommendationSchema(_dataSource), TimeProvider.System);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static TrainedModel Popular(params string[] items)
    {
        var day = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var data = TrainingData.Build([.. items.Select((item, n) => new Interaction($"u{n}", item, day))], new InteractionWeighting());
        var model = new TrainedModel(Algorithms.Popularity, new GeneratorSettings(), data, new Popularity());
        model.Generator.Fit(data);
        return model;
    }

    private static readonly ModelSummary Summary = new(null, null, 3, 3, 2, new Dictionary<string, double> { ["ndcg@10"] = 0.25 });

    private static string Tenant() => "t-" + Guid.NewGuid().ToString("N")[..8];

    [Test]
    public async Task Versions_are_numbered_per_tenant_in_training_order_and_load_as_stored()
    {
        var (tenant, other) = (Tenant(), Tenant());
        Assert.That(await _registry.AddAsync(tenant, Popular("a", "b", "b"), Summary, default), Is.EqualTo(1));
        Assert.That(await _registry.AddAsync(tenant, Popular("c", "c", "d"), Summary, default), Is.EqualTo(2));
        Assert.That(await _registry.AddAsync(other, Popular("x"), Summary, default), Is.EqualTo(1));

        var versions = await _registry.ListAsync(tenant, default);
        Assert.That(versions.Select(v => v.Version), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(versions[0].Summary.Metrics["ndcg@10"], Is.EqualTo(0.25));
        Assert.That(versions[0].PayloadBytes, Is.GreaterThan(0));

        var loaded = (await _registry.LoadAsync(tenant, 2, default))!;
        var top = loaded.Generator.Recommend(Person.Nobody, 1, []).Single();
        Assert.That(loaded.Data.Matrix.ItemIds[top.Item], Is.EqualTo("c"));
        Assert.That(await _registry.LoadAsync(tenant, 3, default), Is.Null);
        Assert.That(await _registry.LoadAsync(other, 2, default), Is.Null, "another tenant's versions are not this one's");
    }

    [Test]
    public async Task Activation_names_the_version_served_and_rollback_is_one_more_activation()
    {
        var tenant = Tenant();
        for (var n = 0; n < 3; n++) await _registry.AddAsync(tenant, Popular("a"), Summary, default);
        Assert.That(await _registry.ActiveAsync(tenant, default), Is.Null);

        Assert.That(await _registry.ActivateAsync(tenant, 2, default), Is.True);
        Assert.That(await _registry.ActivateAsync(tenant, 3, default), Is.True);
        Assert.That((await _registry.ActiveAsync(tenant, default))! with { ActivatedAt = default }, Is.EqualTo(new ActiveModel(3, default, 2)));

        Assert.That(await _registry.ActivateAsync(tenant, 1, default), Is.True, "rollback to the first version");
        Assert.That((await _registry.ActiveAsync(tenant, default))!.Version, Is.EqualTo(1));
        Assert.That(await _registry.ActivateAsync(tenant, 9, default), Is.False, "no such version");
        Assert.That((await _registry.ActiveAsync(tenant, default))!.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task Versions_stored_at_the_same_time_never_share_a_number()
    {
        var tenant = Tenant();
        var numbers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _registry.AddAsync(tenant, Popular("a"), Summary, default)));
        Assert.That(numbers.Order(), Is.EqualTo(Enumerable.Range(1, 8)));
    }

    [Test]
    public async Task A_replica_swaps_to_the_activated_version_and_a_request_keeps_the_model_it_started_with()
    {
        var tenant = Tenant();
        await _registry.AddAsync(tenant, Popular("a", "a", "b"), Summary, default);
        await _registry.AddAsync(tenant, Popular("b", "b", "a"), Summary, default);
        var served = new ActiveModels(_registry, Microsoft.Extensions.Logging.Abstractions.NullLogger<ActiveModels>.Instance);

        await served.RefreshAsync(default);
        Assert.That(served.For(tenant), Is.Null, "nothing activated yet");

        await _registry.ActivateAsync(tenant, 1, default);
        await served.RefreshAsync(default);
        var first = served.For(tenant)!;
        await _registry.ActivateAsync(tenant, 2, default);
        await served.RefreshAsync(default);

        string Top(ServedModel model) => model.Model.Data.Matrix.ItemIds[model.Model.Generator.Recommend(Person.Nobody, 1, []).Single().Item];
        Assert.That(served.For(tenant)!.Version, Is.EqualTo(2));
        Assert.That((Top(first), Top(served.For(tenant)!)), Is.EqualTo(("a", "b")), "the model taken before the swap still answers as version 1");
    }
}
