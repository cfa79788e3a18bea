package io.github.zmqboot.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.github.zmqboot.internal.engine.ManagedSocket;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layout the code keeps (docs/architecture.md, "Layers"): each layer uses only its own and the layers
 * below it, no two packages and no two source files depend on each other, the API does not reach into
 * {@code internal}, and only the engine adapter and the socket kinds touch the engine's own socket.
 */
@AnalyzeClasses(packages = "io.github.zmqboot", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    private static final String ROOT = "io.github.zmqboot.";

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("API").definedBy(ROOT + "core..", ROOT + "convert..", ROOT + "observation..")
        .layer("Engine adapter").definedBy(ROOT + "internal.monitor..", ROOT + "internal.context..",
                ROOT + "internal.transport..", ROOT + "internal.engine..")
        .layer("Socket kinds").definedBy(ROOT + "internal.socket..", ROOT + "internal.peer..",
                ROOT + "internal.proxy..", ROOT + "internal.security..")
        .layer("Listener").definedBy(ROOT + "listener..")
        .layer("Annotation").definedBy(ROOT + "annotation..")
        .layer("Auto-configuration").definedBy(ROOT + "autoconfigure..", ROOT + "actuate..")
        .whereLayer("Auto-configuration").mayNotBeAccessedByAnyLayer()
        .whereLayer("Annotation").mayOnlyBeAccessedByLayers("Auto-configuration")
        .whereLayer("Listener").mayOnlyBeAccessedByLayers("Annotation", "Auto-configuration")
        .whereLayer("Socket kinds").mayOnlyBeAccessedByLayers("Listener", "Annotation", "Auto-configuration")
        .whereLayer("Engine adapter")
        .mayOnlyBeAccessedByLayers("Socket kinds", "Listener", "Annotation", "Auto-configuration");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.github.zmqboot.(**)").should().beFreeOfCycles();

    /** Each source file (a top-level class with its nested classes) is a slice: no two files depend on each other. */
    @ArchTest
    static final ArchRule noFileCycles = slices().assignedFrom(new SliceAssignment() {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            JavaClass topLevel = javaClass;
            while (topLevel.getEnclosingClass().isPresent()) {
                topLevel = topLevel.getEnclosingClass().get();
            }
            return SliceIdentifier.of(topLevel.getName());
        }

        @Override
        public String getDescription() {
            return "source files";
        }
    }).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule apiDoesNotReachIntoInternals = noClasses().that()
        .resideInAnyPackage(ROOT + "core..", ROOT + "convert..", ROOT + "observation..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + "internal..");

    @ArchTest
    static final ArchRule listenerDoesNotKnowItsAdapter = noClasses().that().resideInAPackage(ROOT + "listener")
        .should().dependOnClassesThat().resideInAPackage(ROOT + "listener.adapter..");

    @ArchTest
    static final ArchRule engineSocketStaysInternal = noClasses().that().resideOutsideOfPackage(ROOT + "internal..")
        .should().callMethod(ManagedSocket.class, "base")
        .because("the engine's SocketBase is for the engine adapter and the socket kinds only");
}
