package io.github.zmqboot.internal.proxy;

import java.util.List;

/**
 * The resolved endpoints a running proxy's sockets are bound to.
 *
 * @param frontend the frontend's
 * @param backend the backend's
 * @param capture the capture socket's
 * @param control the control socket's
 */
record ProxyEndpoints(List<String> frontend, List<String> backend, List<String> capture, List<String> control) {

    /** No socket bound: the proxy is not running. */
    static final ProxyEndpoints NONE = new ProxyEndpoints(List.of(), List.of(), List.of(), List.of());

    ProxyEndpoints {
        frontend = List.copyOf(frontend);
        backend = List.copyOf(backend);
        capture = List.copyOf(capture);
        control = List.copyOf(control);
    }
}
