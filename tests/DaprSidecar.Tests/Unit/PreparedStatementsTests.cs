using Npgsql;
using Personalization.DaprSidecar.Storage;

namespace Personalization.DaprSidecar.Tests.Unit;

public class PreparedStatementsTests
{
    [Test]
    public void Automatic_preparation_is_turned_on_when_the_connection_string_says_nothing()
    {
        var settings = new NpgsqlConnectionStringBuilder(SidecarDatabase.WithPreparedStatements("Host=db;Username=u;Password=p"));
        Assert.That((settings.MaxAutoPrepare, settings.AutoPrepareMinUsages, settings.NoResetOnClose, settings.Host), Is.EqualTo((16, 2, true, "db")));
    }

    [Test]
    public void Settings_the_connection_string_gives_are_kept()
    {
        var settings = new NpgsqlConnectionStringBuilder(SidecarDatabase.WithPreparedStatements("Host=db;Max Auto Prepare=0;No Reset On Close=false"));
        Assert.That((settings.MaxAutoPrepare, settings.AutoPrepareMinUsages, settings.NoResetOnClose), Is.EqualTo((0, 2, false)));
    }
}
