package io.github.zmqboot.listener.adapter;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Spring's {@link InvocableHandlerMethod} with the resolver of each parameter chosen once, when the listener is
 * created. Spring's own argument loop looks each resolver up twice per parameter and message in a map keyed by
 * {@link MethodParameter} (whose hashing and equality compare whole {@code Method}s), re-initialises parameter name
 * discovery, and asks the logging system whether to trace the arguments: together about a quarter of a listener's
 * per-message cost. The resolvers are Spring's, unchanged. A method of up to two parameters is called through a
 * {@link DirectCall} (as a method reference would call it); others, and arguments that do not fit the parameters'
 * types, through Spring's reflective call ({@link #doInvoke}).
 * <p>
 * Provided arguments ({@code invoke(message, providedArgs)}) are not supported: every argument comes from a resolver.
 */
final class BoundHandlerMethod extends InvocableHandlerMethod {

    private final MethodParameter[] parameters;

    private final HandlerMethodArgumentResolver[] resolvers;

    /** The method's direct call, or {@code null}: called by reflection. */
    private final @Nullable DirectCall directCall;

    /**
     * @param resolvers the argument resolvers, in order of precedence
     * @throws IllegalStateException when no resolver supports a parameter
     */
    BoundHandlerMethod(Object bean, Method method, List<HandlerMethodArgumentResolver> resolvers) {
        super(bean, method);
        // a public method is called without setAccessible, and then every reflective call checks its caller's access
        // again; once is enough (a method the module system keeps closed is called as before)
        getBridgedMethod().trySetAccessible();
        DefaultParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
        this.parameters = getMethodParameters();
        this.resolvers = new HandlerMethodArgumentResolver[this.parameters.length];
        for (int i = 0; i < this.parameters.length; i++) {
            MethodParameter parameter = this.parameters[i];
            parameter.initParameterNameDiscovery(names);
            HandlerMethodArgumentResolver resolver = resolvers.stream()
                .filter(candidate -> candidate.supportsParameter(parameter))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No argument resolver for parameter "
                        + parameter.getParameterIndex() + " of " + method.toGenericString()));
            this.resolvers[i] = resolver instanceof ZmqPayloadArgumentResolver payload ? payload.boundTo(parameter)
                    : resolver;
        }
        this.directCall = DirectCall.of(getBean(), getBridgedMethod());
    }

    /** Whether the method is called directly rather than by reflection (see {@link DirectCall}). */
    boolean callsDirectly() {
        return this.directCall != null;
    }

    @Override
    public Object invoke(Message<?> message, Object... providedArgs) throws Exception {
        DirectCall call = this.directCall;
        if (call == null) {
            return doInvoke(getMethodArgumentValues(message, providedArgs));
        }
        int arity = this.parameters.length;
        Object first = (arity > 0) ? this.resolvers[0].resolveArgument(this.parameters[0], message) : null;
        Object second = (arity > 1) ? this.resolvers[1].resolveArgument(this.parameters[1], message) : null;
        if (call.fits(first, second)) {
            return call.call(first, second);
        }
        return doInvoke(Arrays.copyOf(new Object[] { first, second }, arity));
    }

    @Override
    protected Object[] getMethodArgumentValues(Message<?> message, Object... providedArgs) throws Exception {
        Object[] args = new Object[this.parameters.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = this.resolvers[i].resolveArgument(this.parameters[i], message);
        }
        return args;
    }
}
