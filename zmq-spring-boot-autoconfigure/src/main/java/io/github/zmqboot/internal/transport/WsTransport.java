package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * {@code ws://host:port/path} and {@code wss://…} as libzmq 4.3.4 (ZWS 2.0): a bind takes an IP address (or
 * {@code *}) and a port (or {@code *}/{@code 0}), serves any path; a connect resolves its host at once and sends its
 * path (the last segment). wss takes its TLS from the socket's {@link TlsMaterial}.
 */
final class WsTransport {

    private static final Pattern ENDPOINT = Pattern.compile("(wss?)://(\\[[^\\]]+\\]|[^:/\\[\\]]+):(\\*|[0-9]{1,5})(/.*)?");

    private WsTransport() {
    }

    static boolean handles(String endpoint) {
        return endpoint.startsWith("ws://") || endpoint.startsWith("wss://");
    }

    private record Parsed(boolean secure, String host, int port, String path) {

        String scheme() {
            return this.secure ? "wss" : "ws";
        }
    }

    private static Parsed parse(String endpoint) {
        Matcher matcher = ENDPOINT.matcher(endpoint);
        if (!matcher.matches()) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "': a ws endpoint is ws://host:port/path");
        }
        String port = matcher.group(3);
        int number = "*".equals(port) ? 0 : Integer.parseInt(port);
        if (number > 65535) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "': the port must be 0-65535 or '*'");
        }
        String path = matcher.group(4);
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        else {
            // libzmq keeps only the last segment of the path
            path = "/" + path.substring(path.lastIndexOf('/') + 1);
        }
        String host = matcher.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Parsed("wss".equals(matcher.group(1)), host, number, path);
    }

    static BoundServer bind(String endpoint, Supplier<TlsMaterial> tls) {
        Parsed parsed = parse(endpoint);
        if (parsed.secure() && tls == null) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "': a wss bind needs a certificate: set the"
                    + " socket's ssl-bundle option to an SSL bundle (spring.ssl.bundle.*) with a key store");
        }
        InetAddress address = bindAddress(endpoint, parsed.host());
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(address instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
            server.bind(new InetSocketAddress(address, parsed.port()));
            server.configureBlocking(false);
        }
        catch (BindException ex) {
            closeQuietly(server);
            throw new ZmqException(ZmqError.EADDRINUSE, "'" + endpoint + "': " + ex.getMessage(), ex);
        }
        catch (IOException ex) {
            closeQuietly(server);
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "'" + endpoint + "': " + ex.getMessage(), ex);
        }
        int port = server.socket().getLocalPort();
        String host = address.isAnyLocalAddress() ? (address instanceof java.net.Inet6Address ? "[::]" : "0.0.0.0")
                : (address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]"
                        : address.getHostAddress());
        String resolved = parsed.scheme() + "://" + host + ":" + port + parsed.path();
        Supplier<SslContext> contexts = parsed.secure() ? serverContexts(endpoint, tls) : () -> null;
        EngineFactory engines = (channel, options, name, lost) -> new WsEngine(channel, options, name, lost,
                WsPipeline.server(contexts.get()));
        return new BoundServer(resolved, server, engines, () -> { });
    }

    static StreamConnecter.Target target(String endpoint, Supplier<TlsMaterial> tls) {
        Parsed parsed = parse(endpoint);
        InetAddress address;
        try {
            address = InetAddress.getByName(parsed.host());
        }
        catch (UnknownHostException ex) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "': host '" + parsed.host()
                    + "' does not resolve (libzmq resolves ws and wss hosts at connect)", ex);
        }
        if (parsed.port() == 0) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "': a connect needs a port");
        }
        URI uri;
        try {
            uri = new URI(parsed.scheme(), null, parsed.host(), parsed.port(), parsed.path(), null, null);
        }
        catch (URISyntaxException ex) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "': " + ex.getMessage(), ex);
        }
        Supplier<SslContext> contexts = parsed.secure() ? clientContexts(endpoint, tls) : () -> null;
        EngineFactory engines = (channel, options, name, lost) -> new WsEngine(channel, options, name, lost,
                WsPipeline.client(uri, contexts.get()));
        return StreamConnecter.Target.fixed(endpoint, new InetSocketAddress(address, parsed.port()), engines);
    }

    private static InetAddress bindAddress(String endpoint, String host) {
        if ("*".equals(host)) {
            try {
                return InetAddress.getByName("0.0.0.0");
            }
            catch (UnknownHostException ex) {
                throw new IllegalStateException(ex);
            }
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "': a ws bind takes an IP address or '*', not a"
                    + " host name (as libzmq)");
        }
        try {
            return InetAddress.getByName(host);
        }
        catch (UnknownHostException ex) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "': '" + host + "' is not an IP address", ex);
        }
    }

    /** Server contexts from the current TLS material, rebuilt when the material changes (a bundle reload). */
    private static Supplier<SslContext> serverContexts(String endpoint, Supplier<TlsMaterial> tls) {
        return new CachedContexts(endpoint, tls, true);
    }

    private static Supplier<SslContext> clientContexts(String endpoint, Supplier<TlsMaterial> tls) {
        return new CachedContexts(endpoint, tls, false);
    }

    private static final class CachedContexts implements Supplier<SslContext> {

        private final String endpoint;

        private final Supplier<TlsMaterial> tls;

        private final boolean server;

        private TlsMaterial material;

        private SslContext context;

        CachedContexts(String endpoint, Supplier<TlsMaterial> tls, boolean server) {
            this.endpoint = endpoint;
            this.tls = tls;
            this.server = server;
            get(); // fail now, at bind or connect, on bad material
        }

        @Override
        public synchronized SslContext get() {
            TlsMaterial current = (this.tls != null) ? this.tls.get() : null;
            if (this.context == null || current != this.material) {
                this.context = build(current);
                this.material = current;
            }
            return this.context;
        }

        private SslContext build(TlsMaterial material) {
            try {
                SslContextBuilder builder;
                if (this.server) {
                    if (material == null || material.keyManagers() == null) {
                        throw new ZmqException(ZmqError.EINVAL, "'" + this.endpoint + "': a wss bind needs an SSL"
                                + " bundle with a key store (ssl-bundle)");
                    }
                    builder = SslContextBuilder.forServer(material.keyManagers());
                }
                else {
                    builder = SslContextBuilder.forClient();
                    if (material != null && material.trustManagers() != null) {
                        builder.trustManager(material.trustManagers());
                    }
                }
                builder.sslProvider(SslProvider.JDK);
                if (material != null && material.protocols() != null) {
                    builder.protocols(material.protocols());
                }
                if (material != null && material.ciphers() != null) {
                    builder.ciphers(Arrays.asList(material.ciphers()));
                }
                return builder.build();
            }
            catch (SSLException ex) {
                throw new ZmqException(ZmqError.EINVAL, "'" + this.endpoint + "': TLS: " + ex.getMessage(), ex);
            }
        }
    }

    private static void closeQuietly(ServerSocketChannel server) {
        if (server != null) {
            try {
                server.close();
            }
            catch (IOException ignored) {
                // failed to bind
            }
        }
    }
}
