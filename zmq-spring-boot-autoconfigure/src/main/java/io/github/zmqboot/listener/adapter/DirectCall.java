package io.github.zmqboot.listener.adapter;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NativeDetector;
import org.springframework.util.ClassUtils;

/**
 * Calls a listener method the way a method reference does: through a class the JVM spins for that method once
 * ({@link LambdaMetafactory}, as {@code javac} does for {@code bean::method}), instead of {@link Method#invoke}. A
 * reflective call hands its arguments over in an array and goes through two accessor objects whose call sites see
 * every reflective call of the application, so the JIT compiler inlines none of it; here the handler is one
 * interface call away from the reading loop. On a PEER listener with a {@code byte[]} parameter this measured about
 * 5 % more messages a second.
 * <p>
 * Made for methods of up to two parameters (a payload, perhaps a routing id or a header) whose arguments fit their
 * parameter types ({@link #fits}). {@link #of} returns {@code null} where the JVM cannot make one, and the method is
 * then called by reflection as before: in a native image, for more parameters, or when the listener's class is not
 * open to the starter with full access (another class loader's unnamed module, as under Spring Boot DevTools'
 * restart loader, or a named module that does not open its package).
 */
final class DirectCall {

    private static final Log logger = LogFactory.getLog(DirectCall.class);

    /** The JDK functional interface the JVM implemented for the method, by the method's arity and return. */
    private static final List<Class<?>> FUNCTIONS = List.of(Runnable.class, Supplier.class, Consumer.class,
            Function.class, BiConsumer.class, BiFunction.class);

    /** The instance of one of {@link #FUNCTIONS} that calls the method. */
    private final Object function;

    /** Which of {@link #FUNCTIONS} {@link #function} is: {@code 2 × arity + (returns a value ? 1 : 0)}. */
    private final int shape;

    /** The method's parameter types. */
    private final Class<?>[] parameterTypes;

    /** The same, primitives boxed: what a non-null argument must be an instance of. */
    private final Class<?>[] argumentTypes;

    private DirectCall(Object function, int shape, Class<?>[] parameterTypes) {
        this.function = function;
        this.shape = shape;
        this.parameterTypes = parameterTypes;
        this.argumentTypes = boxed(parameterTypes);
    }

    /**
     * The direct call of {@code method} on {@code bean}, or {@code null} when it is to be called by reflection.
     *
     * @param bean the bean whose method is called (ignored for a static method)
     * @param method the method, invocable on {@code bean}
     */
    static @Nullable DirectCall of(Object bean, Method method) {
        int arity = method.getParameterCount();
        if (arity > 2 || NativeDetector.inNativeImage()) {
            return null;
        }
        int shape = 2 * arity + (method.getReturnType() != void.class ? 1 : 0);
        try {
            return new DirectCall(spin(bean, method, FUNCTIONS.get(shape)), shape, method.getParameterTypes());
        }
        catch (VirtualMachineError ex) {
            throw ex;
        }
        catch (Throwable ex) {
            if (logger.isDebugEnabled()) {
                logger.debug("Listener method " + method.toGenericString() + " is called by reflection: " + ex);
            }
            return null;
        }
    }

    /** An instance of {@code function} whose one abstract method calls {@code method} on {@code bean}. */
    private static Object spin(Object bean, Method method, Class<?> function) throws Throwable {
        Class<?> owner = method.getDeclaringClass();
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
        Method abstractMethod = Arrays.stream(function.getMethods())
            .filter(candidate -> Modifier.isAbstract(candidate.getModifiers()))
            .findFirst()
            .orElseThrow();
        Class<?> result = (method.getReturnType() != void.class)
                ? ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType()) : void.class;
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        CallSite site = LambdaMetafactory.metafactory(lookup, abstractMethod.getName(),
                isStatic ? MethodType.methodType(function) : MethodType.methodType(function, owner),
                MethodType.methodType(abstractMethod.getReturnType(), abstractMethod.getParameterTypes()),
                lookup.unreflect(method), MethodType.methodType(result, boxed(method.getParameterTypes())));
        return isStatic ? site.getTarget().invoke() : site.getTarget().invoke(bean);
    }

    /** {@code types} with each primitive replaced by its wrapper. */
    private static Class<?>[] boxed(Class<?>[] types) {
        Class<?>[] boxed = new Class<?>[types.length];
        for (int i = 0; i < types.length; i++) {
            boxed[i] = ClassUtils.resolvePrimitiveIfNecessary(types[i]);
        }
        return boxed;
    }

    /**
     * Whether the arguments can be passed as they are: each an instance of its parameter's type, and no {@code null}
     * for a primitive. When not, the caller calls by reflection, which reports the mismatch as Spring does.
     *
     * @param first the first argument ({@code null} for a method without parameters)
     * @param second the second argument ({@code null} for a method of fewer than two parameters)
     */
    boolean fits(@Nullable Object first, @Nullable Object second) {
        int arity = this.argumentTypes.length;
        return (arity < 1 || fits(0, first)) && (arity < 2 || fits(1, second));
    }

    private boolean fits(int index, @Nullable Object argument) {
        return (argument != null) ? this.argumentTypes[index].isInstance(argument)
                : !this.parameterTypes[index].isPrimitive();
    }

    /**
     * Calls the method with its arguments (which {@link #fits}); those beyond its parameters are ignored. The
     * method's exceptions, checked ones included, come out as it threw them, as they do from Spring's reflective
     * call, which unwraps them.
     *
     * @return the method's return value, {@code null} for a {@code void} method
     */
    @SuppressWarnings("unchecked")
    @Nullable Object call(@Nullable Object first, @Nullable Object second) throws Exception {
        Object call = this.function;
        switch (this.shape) {
            case 0 -> ((Runnable) call).run();
            case 1 -> {
                return ((Supplier<?>) call).get();
            }
            case 2 -> ((Consumer<Object>) call).accept(first);
            case 3 -> {
                return ((Function<Object, ?>) call).apply(first);
            }
            case 4 -> ((BiConsumer<Object, Object>) call).accept(first, second);
            default -> {
                return ((BiFunction<Object, Object, ?>) call).apply(first, second);
            }
        }
        return null;
    }
}
