package io.github.zmqboot.actuate;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The remote address of the servlet request bound to this thread (Spring MVC binds it while an endpoint operation
 * runs); loaded only when spring-web and the servlet API are present.
 */
final class ServletRemoteAddress {

    private ServletRemoteAddress() {
    }

    /** The address, or null when no servlet request is bound (e.g. WebFlux, JMX). */
    static String current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest().getRemoteAddr() : null;
    }
}
