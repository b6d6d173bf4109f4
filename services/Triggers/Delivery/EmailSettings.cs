namespace Personalization.Triggers.Delivery;

/// <summary>The SMTP server emails go through, the sender they come from, and the public address links in them point to.</summary>
public sealed class EmailSettings
{
    public const string Section = "Email";

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>The From of every email, as <c>Name &lt;address&gt;</c> or a bare address.</summary>
    public string From { get; set; } = "Personalization <noreply@localhost>";

    /// <summary>Where people reach this service: the unsubscribe link in every email starts with it.</summary>
    public Uri PublicUrl { get; set; } = new("http://127.0.0.1:5400");
}

public sealed class SmtpSettings
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (the default: the server must offer it), <c>Tls</c> (TLS from the first byte, port 465) or <c>None</c>.</summary>
    public string Security { get; set; } = "StartTls";

    /// <summary>SMTP AUTH when set.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>Accepts any server certificate: for a local test server with a certificate of its own only, never in production.</summary>
    public bool AcceptAnyCertificate { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
