package io.github.zmqboot.benchmarks;

import brave.Tracing;
import brave.context.slf4j.MDCScopeDecorator;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;

/**
 * The observation registries the benchmarks compare, each as Spring Boot 4 sets one up from what the application
 * has: the actuator's meter handler ({@code DefaultMeterObservationHandler}, with its long-task timer, or without it:
 * {@code management.metrics.observations.ignored-meters=long-task-timer}), a Brave tracer (Boot's default sampling
 * probability 0.1, the MDC scope decorator Boot adds, spans reported nowhere), both, or a handler that does nothing
 * (what the Observation API itself costs).
 */
public enum ObservationRegistries {

    /** Boot's meter handler as configured by default: a timer and a long-task timer per observation. */
    METER {
        @Override
        void configure(ObservationRegistry registry) {
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
        }
    },

    /** Boot's meter handler with {@code management.metrics.observations.ignored-meters=long-task-timer}. */
    METER_WITHOUT_LONG_TASK_TIMER {
        @Override
        void configure(ObservationRegistry registry) {
            registry.observationConfig()
                .observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry(),
                        DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER));
        }
    },

    /** Tracing only: Brave through Micrometer Tracing, sampling 10 % as Boot does by default. */
    TRACING {
        @Override
        void configure(ObservationRegistry registry) {
            registry.observationConfig().observationHandler(tracingHandler(0.1f));
        }
    },

    /** The meter handler and the tracer, as an application with the actuator and a tracer gets them. */
    METER_AND_TRACING {
        @Override
        void configure(ObservationRegistry registry) {
            METER.configure(registry);
            TRACING.configure(registry);
        }
    },

    /** A handler that does nothing: the cost of the Observation API (context, scope) on its own. */
    NOOP_HANDLER {
        @Override
        void configure(ObservationRegistry registry) {
            registry.observationConfig().observationHandler(new ObservationHandler<>() {

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
        }
    };

    abstract void configure(ObservationRegistry registry);

    ObservationRegistry create() {
        ObservationRegistry registry = ObservationRegistry.create();
        configure(registry);
        return registry;
    }

    private static DefaultTracingObservationHandler tracingHandler(float probability) {
        ThreadLocalCurrentTraceContext context = ThreadLocalCurrentTraceContext.newBuilder()
            .addScopeDecorator(MDCScopeDecorator.get())
            .build();
        Tracing tracing = Tracing.newBuilder()
            .currentTraceContext(context)
            .traceId128Bit(true)
            .supportsJoin(false)
            .sampler(Sampler.create(probability))
            .addSpanHandler(SpanHandler.NOOP)
            .build();
        BraveTracer tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(context),
                new BraveBaggageManager());
        return new DefaultTracingObservationHandler(tracer);
    }
}
