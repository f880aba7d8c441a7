package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.ZoneOffset;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/** The mail channel against a real SMTP server (GreenMail) started here, with a login. */
class MailChannelTest {

    private static final String PASSWORD = "Sm7p-pa55word!";

    private GreenMail smtp;
    private DefaultCamelContext camel;
    private MailChannel channel;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", PASSWORD));
        smtp.start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.stop();
        }
        camel.stop();
        smtp.stop();
    }

    private MailChannel channel(String password) {
        channel = new MailChannel();
        channel.setCamelContext(camel);
        channel.setClock(Clock.fixed(ChatChannelsTest.NOW, ZoneOffset.UTC));
        channel.setHost("127.0.0.1");
        channel.setPort(smtp.getSmtp().getPort());
        channel.setSecurity("none");
        channel.setUsername("alerts");
        channel.setPassword(password);
        channel.setFrom("alerts@example.com");
        channel.setTo("oncall@example.com, dba@example.com");
        channel.start();
        return channel;
    }

    @Test
    void sendsTheAlertAsPlainTextWithTheTitleAsSubject() throws Exception {
        channel(PASSWORD).send(ChatChannelsTest.LATENCY);

        assertTrue(smtp.waitForIncomingEmail(5_000, 2));
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertEquals(ChatChannelsTest.TITLE, mail.getSubject());
        assertArrayEquals(new Address[] {new InternetAddress("alerts@example.com")}, mail.getFrom());
        assertArrayEquals(new Address[] {new InternetAddress("oncall@example.com"), new InternetAddress("dba@example.com")},
                mail.getRecipients(jakarta.mail.Message.RecipientType.TO));
        assertTrue(mail.getContentType().startsWith("text/plain"), mail.getContentType());
        assertTrue(mail.getContentType().toUpperCase().contains("UTF-8"), mail.getContentType());
        assertEquals(String.join("\n", ChatChannelsTest.LINES), mail.getContent().toString().replace("\r\n", "\n"));
    }

    @Test
    void aRefusedLoginIsAFailureWithoutThePassword() {
        MailChannel wrong = channel("not-" + PASSWORD);

        AlertDeliveryException failure = assertThrows(AlertDeliveryException.class, () -> wrong.send(ChatChannelsTest.LATENCY));

        assertTrue(failure.getMessage().startsWith("mail: could not send through 127.0.0.1:" + smtp.getSmtp().getPort()
                + ": AuthenticationFailedException"), failure.getMessage());
        assertFalse(failure.retryable());
        ChatChannelsTest.assertNoSecret(failure, PASSWORD);
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    /** The mail-alert-sink kamelet as one step of a route, the password passed RAW as a route would. */
    @Test
    void mailKameletSendsTheAlert() throws Exception {
        camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:alert").to("kamelet:mail-alert-sink?host=127.0.0.1&port=" + smtp.getSmtp().getPort()
                        + "&security=none&username=alerts&password=RAW(" + PASSWORD + ")&from=alerts@example.com&to=oncall@example.com");
            }
        });
        camel.createProducerTemplate().sendBody("direct:alert", ChatChannelsTest.LATENCY);

        assertTrue(smtp.waitForIncomingEmail(5_000, 1));
        assertEquals(ChatChannelsTest.TITLE, smtp.getReceivedMessages()[0].getSubject());
    }

    @Test
    void missingSettingsAreOneLine() {
        MailChannel incomplete = new MailChannel();
        incomplete.setCamelContext(camel);
        incomplete.setHost("smtp.example.com");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, incomplete::start);
        assertEquals("The mail channel needs from, to: the SMTP server's host name, the sender's address and the recipients' "
                + "addresses (separated by commas)", bad.getMessage());
    }
}
