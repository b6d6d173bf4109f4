using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Personalization.Triggers.Feedback;
using Personalization.Triggers.Subscriptions;

namespace Personalization.Triggers.Delivery;

/// <summary>An email to send: the rendered parts, who to, the key that names this send, and the group it is sent in (for its unsubscribe link).</summary>
public sealed record OutgoingEmail(string To, IReadOnlyDictionary<string, string> Parts, string SendKey, UnsubscribeLink? Unsubscribe,
    IReadOnlyList<string>? RecommendedItems = null);

/// <summary>
/// Sends email over SMTP with MailKit: STARTTLS (or TLS, or neither, as configured) and SMTP AUTH when credentials are
/// set, over connections kept open between sends (at most as many as are sent at once). The Message-Id is derived from the send key, so a message sent again after a crash inside the SMTP exchange
/// carries the same id and receivers can tell it is the same. A message in a subscription group carries the RFC 8058
/// one-click unsubscribe headers. The HTML part's links go through signed click redirects and a pixel reports the
/// open, so both come back as the person's events.
/// </summary>
public sealed class EmailSender(IOptions<EmailSettings> options, LinkSigner links) : IDisposable
{
    /// <summary>A connection idle longer than this is closed rather than used again (servers drop idle ones after a minute or more).</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    // Open, authenticated connections between sends: a TLS handshake and AUTH per message would cost more than the message.
    private readonly ConcurrentBag<(SmtpClient Client, long IdleSince)> _idle = [];

    public async Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = Build(email, settings);
        for (var fresh = false; ; fresh = true)
        {
            var (client, reused) = fresh ? (await ConnectAsync(settings, cancellationToken), false) : await TakeAsync(settings, cancellationToken);
            try
            {
                await client.SendAsync(message, cancellationToken);
                _idle.Add((client, Environment.TickCount64));
                return;
            }
            catch (SmtpCommandException refused) when (refused.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)refused.StatusCode >= 500)
            {
                client.Dispose();
                throw new HardBounce($"bounced: the SMTP server refused {email.To} ({(int)refused.StatusCode} {refused.Message.Trim()})");
            }
            // A kept connection the server has closed meanwhile: nothing was taken on it, so a new one sends the message.
            catch (Exception e) when (reused && e is IOException or ServiceNotConnectedException or SmtpProtocolException)
            {
                client.Dispose();
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

    private async Task<(SmtpClient, bool Reused)> TakeAsync(EmailSettings settings, CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var kept))
        {
            if (kept.Client.IsConnected && Environment.TickCount64 - kept.IdleSince < IdleLimit.TotalMilliseconds) return (kept.Client, true);
            kept.Client.Dispose();
        }
        return (await ConnectAsync(settings, cancellationToken), false);
    }

    private static async Task<SmtpClient> ConnectAsync(EmailSettings settings, CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = (int)settings.Smtp.Timeout.TotalMilliseconds };
        try
        {
            if (settings.Smtp.AcceptAnyCertificate) client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            var security = settings.Smtp.Security.ToLowerInvariant() switch
            {
                "none" => SecureSocketOptions.None,
                "tls" => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port, security, cancellationToken);
            if (settings.Smtp.Username is { Length: > 0 } user)
                await client.AuthenticateAsync(user, settings.Smtp.Password ?? "", cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var kept)) kept.Client.Dispose();
    }

    private MimeMessage Build(OutgoingEmail email, EmailSettings settings)
    {
        var from = MailboxAddress.Parse(settings.From);
        var message = new MimeMessage { Subject = email.Parts.GetValueOrDefault("subject", "") };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(email.To));
        message.MessageId = $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.SendKey)))[..32]}@{from.Domain}";
        var html = email.Parts.GetValueOrDefault("html") is { } part
            ? LinkTracking.Rewrite(part,
                url => Link(settings, TrackedLink.ClickPath, TrackedLink.RecommendedItemOf(url, email.RecommendedItems ?? []) is var (item, position)
                    ? new TrackedLink(email.SendKey, url, item, position)
                    : new TrackedLink(email.SendKey, url)),
                Link(settings, TrackedLink.OpenPath, new TrackedLink(email.SendKey, null, Items: email.RecommendedItems)))
            : null;
        var body = new BodyBuilder { TextBody = email.Parts.GetValueOrDefault("text"), HtmlBody = html };
        message.Body = body.ToMessageBody();
        if (email.Unsubscribe is { } group)
        {
            message.Headers.Add("List-Unsubscribe", $"<{Link(settings, UnsubscribeLink.Path, group)}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        return message;
    }

    private string Link<T>(EmailSettings settings, string path, T link) => new Uri(settings.PublicUrl, $"{path}/{links.Sign(link)}").ToString();
}

/// <summary>The receiving server refused the address for good (a 5xx to RCPT TO): the channel is suppressed for the person.</summary>
public sealed class HardBounce(string reason) : PermanentFailure(reason);
