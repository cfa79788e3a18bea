/**
 * Public API: {@link ZmqPayloadConverter}, the conversion between objects and message frames that sends, replies
 * and listener parameters share (bytes as they are, strings as UTF-8, anything else through a Spring
 * {@code MessageConverter}, JSON by default).
 */
@NullMarked
package io.github.zmqboot.convert;

import org.jspecify.annotations.NullMarked;
