/**
 * Internal (not API, may change): engine events as {@code SocketEvent}s ({@link SocketMonitor}), the rate-limited
 * security log, and the audit of steering commands.
 */
@NullMarked
package io.github.zmqboot.internal.monitor;

import org.jspecify.annotations.NullMarked;
