/**
 * Internal (not API, may change): the one ZeroMQ context of the application, {@link ZmqContextManager}, and the
 * guarded mailbox every socket gets.
 */
@NullMarked
package io.github.zmqboot.internal.context;

import org.jspecify.annotations.NullMarked;
