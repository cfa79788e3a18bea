package io.github.zmqboot.test;

import java.util.List;
import java.util.Set;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Adds the {@link ZmqTest} set-up to the Spring test context of a class so annotated (see {@code spring.factories}). */
class ZmqTestContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        ZmqTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, ZmqTest.class);
        return annotation != null ? new ZmqTestContextCustomizer(Set.of(annotation.ephemeral())) : null;
    }
}
