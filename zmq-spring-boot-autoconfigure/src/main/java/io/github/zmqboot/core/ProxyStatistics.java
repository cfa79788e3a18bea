package io.github.zmqboot.core;

/**
 * The eight counters of libzmq's {@code zmq_proxy_steerable} {@code STATISTICS} reply, in its order. As in its
 * current man page, every part of a multipart message counts as one message, and bytes are the sum of the parts'
 * sizes.
 *
 * @param frontendMessagesIn message parts received by the frontend socket
 * @param frontendBytesIn bytes received by the frontend socket
 * @param frontendMessagesOut message parts sent by the frontend socket
 * @param frontendBytesOut bytes sent by the frontend socket
 * @param backendMessagesIn message parts received by the backend socket
 * @param backendBytesIn bytes received by the backend socket
 * @param backendMessagesOut message parts sent by the backend socket
 * @param backendBytesOut bytes sent by the backend socket
 */
public record ProxyStatistics(
        long frontendMessagesIn,
        long frontendBytesIn,
        long frontendMessagesOut,
        long frontendBytesOut,
        long backendMessagesIn,
        long backendBytesIn,
        long backendMessagesOut,
        long backendBytesOut) {

    /** All counters zero. */
    public static final ProxyStatistics ZERO = new ProxyStatistics(0, 0, 0, 0, 0, 0, 0, 0);

    /** The counters in libzmq's order, as the {@code STATISTICS} reply carries them. */
    public long[] toArray() {
        return new long[] { frontendMessagesIn, frontendBytesIn, frontendMessagesOut, frontendBytesOut,
                backendMessagesIn, backendBytesIn, backendMessagesOut, backendBytesOut };
    }
}
