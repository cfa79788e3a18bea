package io.github.zmqboot.internal.proxy;

/**
 * Whole messages a proxy dropped because a ROUTER side refused them (the proxy sets {@code ROUTER_MANDATORY} on
 * its ROUTER sides, so the engine reports what it would drop silently), per side and reason; counted since the
 * proxy was created. Holding such a message instead would stall every other client of that side.
 *
 * @param frontendFull refused by the frontend: the addressed peer's queue was at its high-water mark
 *        ({@code EAGAIN}), e.g. a client that sends without reading its replies
 * @param frontendUnreachable refused by the frontend: no such peer (any more) ({@code EHOSTUNREACH})
 * @param backendFull as {@code frontendFull}, on the backend
 * @param backendUnreachable as {@code frontendUnreachable}, on the backend
 */
public record ProxyDrops(long frontendFull, long frontendUnreachable, long backendFull, long backendUnreachable) {

    /** Nothing dropped. */
    public static final ProxyDrops NONE = new ProxyDrops(0, 0, 0, 0);

    /** Every dropped message. */
    public long total() {
        return this.frontendFull + this.frontendUnreachable + this.backendFull + this.backendUnreachable;
    }
}
