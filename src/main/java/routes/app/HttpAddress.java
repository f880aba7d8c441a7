package routes.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Where {@code run} serves the operator API: {@code --http HOST:PORT} (default {@value #DEFAULT}), or {@code --http off}
 * for none. {@code status} and {@code tables} take the same option to find it.
 */
record HttpAddress(String host, int port) {

    static final String DEFAULT = "127.0.0.1:8089";
    static final String OPTION = "--http";

    /** The address the arguments name (null for off); removes the option from {@code args}. */
    static HttpAddress take(List<String> args) {
        int at = args.indexOf(OPTION);
        if (at < 0) {
            return parse(DEFAULT);
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException(OPTION + " needs HOST:PORT or off, e.g. " + OPTION + " " + DEFAULT);
        }
        String value = args.get(at + 1);
        args.remove(at + 1);
        args.remove(at);
        return "off".equals(value) ? null : parse(value);
    }

    static HttpAddress parse(String value) {
        int colon = value.lastIndexOf(':');
        String host = colon <= 0 ? "" : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (!host.isEmpty() && port > 0 && port < 65536) {
                return new HttpAddress(host, port);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(OPTION + " " + value + " is not HOST:PORT: use e.g. " + OPTION + " " + DEFAULT
                + " (or " + OPTION + " off)");
    }

    /**
     * Fails with the line to print when the address cannot be served (port in use, unknown host), before the task
     * starts and writes anything.
     */
    void checkFree() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serve the HTTP API on " + this + " (" + e.getMessage()
                    + "): pass " + OPTION + " HOST:PORT with a free port, or " + OPTION + " off");
        }
    }

    String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
