package io.github.zmqboot.listener.adapter;

import java.util.List;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;

/**
 * Spring's resolver composite, bound to the parameters of one handler method: the resolver of each parameter is
 * chosen once, when the listener is created, instead of being looked up in a map keyed by {@link MethodParameter}
 * twice per parameter and message (whose hashing and equality compare whole {@code Method}s). The invocable method
 * passes the same parameter instances on every call, so they are matched by identity; any other parameter falls back
 * to the composite's own lookup.
 */
final class ParameterBoundResolvers extends HandlerMethodArgumentResolverComposite {

    private final MethodParameter[] parameters;

    private final HandlerMethodArgumentResolver[] resolvers;

    /**
     * @param resolvers the resolvers, in order of precedence
     * @param parameters the handler method's parameters, as its invocable method holds them
     */
    ParameterBoundResolvers(List<HandlerMethodArgumentResolver> resolvers, MethodParameter[] parameters) {
        addResolvers(resolvers);
        this.parameters = parameters;
        this.resolvers = new HandlerMethodArgumentResolver[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            for (HandlerMethodArgumentResolver resolver : getResolvers()) {
                if (resolver.supportsParameter(parameters[i])) {
                    this.resolvers[i] = resolver;
                    break;
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return bound(parameter) != null || super.supportsParameter(parameter);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
        HandlerMethodArgumentResolver resolver = bound(parameter);
        return resolver != null ? resolver.resolveArgument(parameter, message) : super.resolveArgument(parameter, message);
    }

    private HandlerMethodArgumentResolver bound(MethodParameter parameter) {
        for (int i = 0; i < this.parameters.length; i++) {
            if (this.parameters[i] == parameter) {
                return this.resolvers[i];
            }
        }
        return null;
    }
}
