package io.github.zmqboot.internal.transport;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import zmq.Options;
import zmq.io.mechanism.Mechanisms;

/**
 * The Netty handlers of one ws or wss connection, server or client side: TLS (wss) and the HTTP upgrade with the
 * ZWS 2.0 subprotocol of the socket's mechanism. The frames after the upgrade are the engine's ({@link WsFrames}):
 * Netty's WebSocket codec, which the upgrade handlers install, never sees them.
 */
final class WsPipeline {

    /** The largest HTTP upgrade request or response accepted (libzmq's own limit is smaller still). */
    private static final int MAX_UPGRADE_BYTES = 8192;

    /** Netty's own handshake timeouts, out of the way: the engine's handshake-interval timer governs. */
    private static final long NETTY_TIMEOUT_MILLIS = 3_600_000;

    private final URI uri;

    private final SslContext ssl;

    private WsPipeline(URI uri, SslContext ssl) {
        this.uri = uri;
        this.ssl = ssl;
    }

    /** The accepting side; {@code ssl} null for ws. */
    static WsPipeline server(SslContext ssl) {
        return new WsPipeline(null, ssl);
    }

    /** The connecting side to {@code uri}; {@code ssl} null for ws. */
    static WsPipeline client(URI uri, SslContext ssl) {
        return new WsPipeline(uri, ssl);
    }

    /** The subprotocol of a socket's mechanism, e.g. {@code ZWS2.0/CURVE}. */
    String mechanismSubprotocol(Options options) {
        Mechanisms mechanism = options.mechanism;
        return "ZWS2.0/" + mechanism.name();
    }

    /** Whether this is the accepting side. */
    boolean server() {
        return this.uri == null;
    }

    /** Whether this is wss. */
    boolean secure() {
        return this.ssl != null;
    }

    /**
     * A channel with the handlers: TLS (wss), then {@code gate}, the upgrade's handlers, and {@code last}; a client's
     * starts its upgrade request at once.
     */
    EmbeddedChannel open(Options options, ChannelHandler gate, ChannelHandler last) {
        List<ChannelHandler> handlers = new ArrayList<>();
        if (this.ssl != null) {
            handlers.add(tls());
        }
        handlers.add(gate);
        int maxFrame = (options.maxMsgSize < 0 || options.maxMsgSize >= Integer.MAX_VALUE - 1) ? Integer.MAX_VALUE
                : (int) options.maxMsgSize + 1;
        String subprotocol = mechanismSubprotocol(options);
        if (this.uri != null) {
            handlers.add(new HttpClientCodec());
            handlers.add(new HttpObjectAggregator(MAX_UPGRADE_BYTES));
            handlers.add(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(this.uri)
                .subprotocol(subprotocol)
                .allowExtensions(false)
                .maxFramePayloadLength(maxFrame)
                .dropPongFrames(false)
                .handshakeTimeoutMillis(NETTY_TIMEOUT_MILLIS)
                .build()));
        }
        else {
            handlers.add(new HttpServerCodec());
            handlers.add(new HttpObjectAggregator(MAX_UPGRADE_BYTES));
            handlers.add(new UpgradeRequestsOnly());
            handlers.add(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .subprotocols(subprotocol)
                .allowExtensions(false)
                .maxFramePayloadLength(maxFrame)
                .dropPongFrames(false)
                .handshakeTimeoutMillis(NETTY_TIMEOUT_MILLIS)
                .build()));
        }
        handlers.add(last);
        return new EmbeddedChannel(handlers.toArray(ChannelHandler[]::new));
    }

    /**
     * Refuses an HTTP request that is not a WebSocket upgrade (Netty would answer it and keep the connection open
     * until the handshake interval; libzmq closes it).
     */
    private static final class UpgradeRequestsOnly extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof HttpRequest request
                    && !"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
                ReferenceCountUtil.release(message);
                ctx.fireExceptionCaught(new IllegalArgumentException(
                        "an HTTP " + request.method() + " request without 'Upgrade: websocket'"));
                return;
            }
            ctx.fireChannelRead(message);
        }

        @Override
        public boolean isSharable() {
            return false;
        }
    }

    private SslHandler tls() {
        if (this.uri == null) {
            return this.ssl.newHandler(UnpooledByteBufAllocator.DEFAULT);
        }
        SslHandler handler = this.ssl.newHandler(UnpooledByteBufAllocator.DEFAULT, this.uri.getHost(),
                this.uri.getPort());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host or IP
        engine.setSSLParameters(parameters);
        return handler;
    }
}
