package routes.alerting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Alerts by e-mail through camel-mail's SMTP producer: the title as subject, the facts as plain UTF-8 text. The
 * server settings live on a private mail component, never in an endpoint URI (which Camel may log); the password
 * never appears in a failure. {@code security}: {@code starttls} (the default, required: no plain-text fallback that
 * would send the password in the clear), {@code ssl} (SMTPS, usually port 465) or {@code none}.
 */
public class MailChannel extends AlertChannel {

    private String host;
    private int port = 587;
    private String username = "";
    private String password = "";
    private String from;
    private String to;
    private String security = "starttls";
    private MailComponent mail;
    private Endpoint endpoint;
    private ProducerTemplate producer;

    @Override
    public String name() {
        return "mail";
    }

    /** The SMTP server: {@code smtp://host:port}, or {@code smtps://} for SSL. */
    @Override
    public String destination() {
        return ("ssl".equalsIgnoreCase(security == null ? "" : security.trim()) ? "smtps" : "smtp") + "://" + host + ":" + port;
    }

    @Override
    public void start() {
        List<String> missing = new ArrayList<>();
        if (host == null || host.isBlank()) {
            missing.add("host");
        }
        if (from == null || from.isBlank()) {
            missing.add("from");
        }
        if (to == null || to.isBlank()) {
            missing.add("to");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("The mail channel needs " + String.join(", ", missing)
                    + ": the SMTP server's host name, the sender's address and the recipients' addresses (separated by commas)");
        }
        String mode = security == null ? "starttls" : security.trim().toLowerCase(Locale.ROOT);
        if (!List.of("starttls", "ssl", "none").contains(mode)) {
            throw new IllegalArgumentException("The mail channel's security '" + security + "' is none of starttls, ssl or none");
        }
        String protocol = "ssl".equals(mode) ? "smtps" : "smtp";
        MailConfiguration configuration = new MailConfiguration();
        configuration.setHost(host.trim());
        configuration.setPort(port);
        if (!username.isEmpty()) {
            configuration.setUsername(username);
            configuration.setPassword(password);
        }
        configuration.setFrom(from.trim());
        configuration.setTo(to.trim());
        configuration.setContentType("text/plain; charset=UTF-8");
        configuration.setConnectionTimeout(getTimeoutSeconds() * 1000);
        Properties properties = new Properties();
        String prefix = "mail." + protocol + ".";
        properties.setProperty(prefix + "timeout", Integer.toString(getTimeoutSeconds() * 1000));
        properties.setProperty(prefix + "writetimeout", Integer.toString(getTimeoutSeconds() * 1000));
        if ("starttls".equals(mode)) {
            properties.setProperty("mail.smtp.starttls.enable", "true");
            properties.setProperty("mail.smtp.starttls.required", "true");
        }
        configuration.setAdditionalJavaMailProperties(properties);
        try {
            mail = new MailComponent(getCamelContext());
            mail.setConfiguration(configuration);
            ServiceHelper.startService(mail);
            // Protocol, host and port come from this URI; the login stays in the component's configuration.
            endpoint = mail.createEndpoint(protocol + "://" + configuration.getHost() + ":" + port);
            ServiceHelper.startService(endpoint);
            producer = getCamelContext().createProducerTemplate();
        } catch (Exception e) {
            throw new IllegalStateException("The mail channel could not be set up: " + Secrets.redact(e.getMessage(), List.of(password)), e);
        }
    }

    @Override
    public void stop() {
        if (producer != null) {
            ServiceHelper.stopService(producer, endpoint, mail);
            producer = null;
        }
    }

    @Override
    public void send(AlertMessage alert) throws AlertDeliveryException {
        if (producer == null) {
            start();
        }
        MailFormat.Mail message = MailFormat.message(alert, getClock().instant());
        Exchange result = producer.send(endpoint, exchange -> {
            exchange.getMessage().setHeader("Subject", message.subject());
            exchange.getMessage().setBody(message.body());
        });
        Exception error = result.getException();
        if (error != null) {
            Throwable cause = error;
            while (cause.getCause() != null && !(cause instanceof jakarta.mail.MessagingException)) {
                cause = cause.getCause();
            }
            // A refused login or address will be refused again; a server that cannot be reached may be back later.
            boolean retryable = !(cause instanceof jakarta.mail.AuthenticationFailedException || cause instanceof jakarta.mail.SendFailedException);
            throw new AlertDeliveryException(name(), "could not send through " + host + ":" + port + ": " + cause.getClass().getSimpleName()
                    + " " + Secrets.redact(cause.getMessage(), List.of(password)).strip(), retryable);
        }
    }

    public String getHost() {
        return host;
    }

    /** The SMTP server's host name. */
    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getUsername() {
        return username;
    }

    /** The SMTP login; empty: send without logging in. */
    public void setUsername(String username) {
        this.username = username == null ? "" : username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password == null ? "" : password;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    /** The recipients, separated by commas. */
    public void setTo(String to) {
        this.to = to;
    }

    public String getSecurity() {
        return security;
    }

    public void setSecurity(String security) {
        this.security = security;
    }
}
