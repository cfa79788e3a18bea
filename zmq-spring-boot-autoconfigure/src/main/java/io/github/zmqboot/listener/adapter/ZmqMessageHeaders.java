package io.github.zmqboot.listener.adapter;

import java.util.Map;

import org.springframework.messaging.MessageHeaders;

/** Message headers without a generated id and timestamp: nothing on the hot path that the listener does not need. */
final class ZmqMessageHeaders extends MessageHeaders {

    private static final long serialVersionUID = 1L;

    ZmqMessageHeaders(Map<String, Object> headers) {
        super(headers, ID_VALUE_NONE, -1L);
    }
}
