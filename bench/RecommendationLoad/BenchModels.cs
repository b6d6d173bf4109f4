using Npgsql;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Models;

namespace Personalization.RecommendationLoad;

/// <summary>The two models the load runs against, trained here and stored as active versions through the service's registry.</summary>
public static class BenchModels
{
    /// <summary>Online Retail, trained as a job would train it (held-out judging, hybrid first); returns its users and items.</summary>
    public static async Task<(string[] Users, string[] Items)> StoreRetailAsync(ModelRegistry registry, string tenant, string file)
    {
        var data = OnlineRetailReader.ReadFile(file);
        var outcome = ModelTrainer.Train(data, new TrainingOptions());
        await ActivateAsync(registry, tenant, outcome.Model, outcome.Summary);
        Console.WriteLine($"{tenant}: {outcome.Model.Algorithm} over {outcome.Summary.Users:N0} users × {outcome.Summary.Items:N0} items");
        return ([.. outcome.Model.Data.Matrix.UserIds], [.. outcome.Model.Data.Matrix.ItemIds]);
    }

    /// <summary>
    /// 100,000 items × 64 ALS factors: 20,000 users with 25 interactions each over a Zipf-like popularity, every
    /// catalogue item a column. Returns its users and the managed memory a replica holds to serve it (the model as
    /// loaded from its bytes, with what serving adds).
    /// </summary>
    public static async Task<(string[] Users, long ServedBytes)> StoreSyntheticAsync(ModelRegistry registry, string tenant, int items = 100_000, int users = 20_000)
    {
        var random = new Random(42);
        var start = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        var history = new List<Interaction>(users * 25);
        for (var u = 0; u < users; u++)
            for (var n = 0; n < 25; n++)
            {
                var item = (int)(items * Math.Pow(random.NextDouble(), 3)); // skewed towards low ids
                history.Add(new Interaction($"u{u}", $"i{item}", start.AddMinutes(u + n), InteractionTypes.View));
            }
        var catalogue = Enumerable.Range(0, items).ToDictionary(n => $"i{n}", n => new ItemContent($"i{n}", $"item {n}"));
        var settings = new GeneratorSettings { Als = ImplicitAls.Options.Default with { Factors = 64, Iterations = 5 } };
        var data = TrainingData.Build(history, settings.Weighting, catalogue);
        var generator = Algorithms.Create(Algorithms.Als, settings, hasCatalogue: false);
        generator.Fit(data);
        var model = new TrainedModel(Algorithms.Als, settings, data, generator);
        await ActivateAsync(registry, tenant, model, new ModelSummary(null, null, history.Count, data.Matrix.UserCount, data.Matrix.ItemCount, new Dictionary<string, double>()));
        Console.WriteLine($"{tenant}: als over {data.Matrix.UserCount:N0} users × {data.Matrix.ItemCount:N0} items × 64 factors");
        var bytes = model.ToBytes();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var served = ServedModel.Of(tenant, 0, TrainedModel.FromBytes(bytes));
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(served);
        return ([.. data.Matrix.UserIds], held);
    }

    private static async Task ActivateAsync(ModelRegistry registry, string tenant, TrainedModel model, ModelSummary summary)
    {
        var version = await registry.AddAsync(tenant, model, summary, CancellationToken.None);
        await registry.ActivateAsync(tenant, version, CancellationToken.None);
    }

    public static ModelRegistry Registry(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        return new ModelRegistry(dataSource, new RecommendationSchema(dataSource), TimeProvider.System);
    }
}
