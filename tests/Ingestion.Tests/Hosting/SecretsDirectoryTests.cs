using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Personalization.ServiceDefaults;

namespace Personalization.Ingestion.Tests.Hosting;

/// <summary>Settings from a Secret mounted as a directory, laid out as the kubelet does: key files linking into ..data.</summary>
public class SecretsDirectoryTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateMount()
    {
        _directory = Directory.CreateTempSubdirectory("secrets-").FullName;
        var version = Directory.CreateDirectory(Path.Combine(_directory, "..2026_12_07_10_00_00.000000001")).FullName;
        File.WriteAllText(Path.Combine(version, "Ingestion__WriteKeys__wk-1"), "acme");
        File.WriteAllText(Path.Combine(version, "Admin__Token"), "from-the-secret");
        Directory.CreateSymbolicLink(Path.Combine(_directory, "..data"), version);
        foreach (var key in new[] { "Ingestion__WriteKeys__wk-1", "Admin__Token" })
            File.CreateSymbolicLink(Path.Combine(_directory, key), Path.Combine("..data", key));
    }

    [TearDown]
    public void RemoveMount() => Directory.Delete(_directory, recursive: true);

    private static HostApplicationBuilder Builder(string? directory)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:Token"] = "from-the-environment", [SecretsDirectory.Setting] = directory });
        return builder;
    }

    [Test]
    public void Each_file_is_a_setting_and_overrides_the_other_sources()
    {
        var builder = Builder(_directory);
        builder.AddServiceDefaults();

        Assert.That(builder.Configuration["Ingestion:WriteKeys:wk-1"], Is.EqualTo("acme"));
        Assert.That(builder.Configuration["Admin:Token"], Is.EqualTo("from-the-secret"));
        Assert.That(builder.Configuration.GetSection("Ingestion:WriteKeys").GetChildren().Select(c => c.Key), Is.EqualTo(new[] { "wk-1" }));
    }

    [Test]
    public void Without_the_setting_nothing_is_read()
    {
        var builder = Builder(null);
        builder.AddServiceDefaults();
        Assert.That(builder.Configuration["Admin:Token"], Is.EqualTo("from-the-environment"));
    }

    [Test]
    public void A_directory_that_is_not_there_stops_the_start_with_its_name()
    {
        var missing = Path.Combine(_directory, "missing");
        var ex = Assert.Throws<InvalidOperationException>(() => Builder(missing).AddServiceDefaults());
        Assert.That(ex!.Message, Does.Contain(missing));
    }
}
