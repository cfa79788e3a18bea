package io.github.zmqboot.autoconfigure;

import java.util.function.Function;
import java.util.function.Supplier;

import io.github.zmqboot.internal.engine.InvalidSocketOptionException;
import io.github.zmqboot.internal.transport.TlsMaterial;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * A socket's {@code ssl-bundle} as the TLS material of its wss endpoints, from Spring Boot's {@link SslBundles}. The
 * bundle is looked up again for each new connection, so a bundle reloaded on update applies to the connections made
 * after the reload; the material is made once per bundle instance.
 */
final class SslBundleTlsMaterials implements Function<String, Supplier<TlsMaterial>> {

    private final ObjectProvider<SslBundles> sslBundles;

    SslBundleTlsMaterials(ObjectProvider<SslBundles> sslBundles) {
        this.sslBundles = sslBundles;
    }

    @Override
    public Supplier<TlsMaterial> apply(String name) {
        SslBundles bundles = this.sslBundles.getIfAvailable();
        if (bundles == null) {
            throw new InvalidSocketOptionException("ssl-bundle", name,
                    "no SSL bundles are configured: define spring.ssl.bundle.pem." + name + " or .jks." + name);
        }
        try {
            bundles.getBundle(name);
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidSocketOptionException("ssl-bundle", name, "there is no SSL bundle named '" + name
                    + "' (spring.ssl.bundle.pem." + name + " or .jks." + name + "); known: " + bundles.getBundleNames());
        }
        return new Current(bundles, name);
    }

    /** The bundle's current material, remade only when the bundle was replaced. */
    private static final class Current implements Supplier<TlsMaterial> {

        private final SslBundles bundles;

        private final String name;

        private SslBundle bundle;

        private TlsMaterial material;

        Current(SslBundles bundles, String name) {
            this.bundles = bundles;
            this.name = name;
        }

        @Override
        public synchronized TlsMaterial get() {
            SslBundle current = this.bundles.getBundle(this.name);
            if (current != this.bundle) {
                this.material = material(current);
                this.bundle = current;
            }
            return this.material;
        }

        private static TlsMaterial material(SslBundle bundle) {
            boolean hasKey = bundle.getStores() != null && bundle.getStores().getKeyStore() != null;
            boolean hasTrust = bundle.getStores() != null && bundle.getStores().getTrustStore() != null;
            SslOptions options = bundle.getOptions();
            return new TlsMaterial(hasKey ? bundle.getManagers().getKeyManagerFactory() : null,
                    hasTrust ? bundle.getManagers().getTrustManagerFactory() : null,
                    options.getEnabledProtocols(), options.getCiphers());
        }
    }
}
