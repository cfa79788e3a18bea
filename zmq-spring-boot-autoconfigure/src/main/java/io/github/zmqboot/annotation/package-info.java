/**
 * Public API: {@link ZmqListener @ZmqListener}, {@link RoutingId @RoutingId}, and the bean post-processor that
 * turns annotated methods into listener containers.
 */
@NullMarked
package io.github.zmqboot.annotation;

import org.jspecify.annotations.NullMarked;
