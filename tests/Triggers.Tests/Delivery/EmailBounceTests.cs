using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using Personalization.Triggers.Delivery;
using Personalization.Triggers.Subscriptions;

namespace Personalization.Triggers.Tests.Delivery;

/// <summary>
/// How the sender reads a receiving server's refusal, over a real SMTP exchange with a server that refuses every
/// recipient (smtp4dev takes everything, so it cannot play this part).
/// </summary>
public class EmailBounceTests
{
    private static async Task<Exception?> SendToServerAnsweringRcptWith(string reply)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 refuser ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                await writer.WriteLineAsync(verb switch
                {
                    "EHLO" => "250 refuser",
                    "RCPT" => reply,
                    "QUIT" => "221 bye",
                    _ => "250 OK",
                });
                if (verb == "QUIT") return;
            }
        });
        var sender = new EmailSender(
            Options.Create(new EmailSettings { Smtp = new SmtpSettings { Host = "127.0.0.1", Port = port, Security = "None" }, From = "shop@example.com" }),
            new LinkSigner(Options.Create(new LinkSettings { Secret = new string('s', 40) })));
        try
        {
            await sender.SendAsync(new OutgoingEmail("gone@example.com", new Dictionary<string, string> { ["subject"] = "Hi", ["text"] = "Hello" }, "t/j/v1/a.1/email", null),
                CancellationToken.None);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
        finally
        {
            listener.Stop();
            await Task.WhenAny(server, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    [Test]
    public async Task A_permanent_refusal_of_the_recipient_is_a_hard_bounce_with_the_servers_reason()
    {
        var error = await SendToServerAnsweringRcptWith("550 5.1.1 No such user here");
        Assert.That(error, Is.TypeOf<HardBounce>());
        Assert.That(error!.Message, Does.Contain("gone@example.com").And.Contain("550").And.Contain("No such user here"));
    }

    [Test]
    public async Task A_temporary_refusal_is_no_bounce_so_the_message_is_tried_again()
    {
        var error = await SendToServerAnsweringRcptWith("450 4.2.0 Mailbox busy, try later");
        Assert.That(error, Is.TypeOf<SmtpCommandException>());
    }
}
