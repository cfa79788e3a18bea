package io.github.zmqboot.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.internal.monitor.SteeringAudit;
import io.github.zmqboot.internal.proxy.DefaultZmqProxy;
import io.github.zmqboot.internal.proxy.ProxyDefinition;
import io.github.zmqboot.internal.proxy.ProxyPreset;
import io.github.zmqboot.internal.proxy.ProxyRole;
import io.github.zmqboot.internal.proxy.ProxySetupException;
import io.github.zmqboot.internal.proxy.ProxySide;
import io.github.zmqboot.internal.engine.Endpoints;
import io.github.zmqboot.internal.engine.InvalidSocketOptionException;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.zeromq.SocketType;

/**
 * Turns {@code zmq.proxies.<name>} into a {@link DefaultZmqProxy}: resolves the preset and side types, checks every
 * value that can be checked before the sockets exist (types, options, endpoint syntax), and gives the proxy a
 * translator so that what fails later, when it binds (a port in use), is reported with the same property paths.
 * Every failure is an {@link InvalidZmqPropertyException}, e.g. {@code zmq.proxies.broker.frontend.bind[0]}.
 */
final class ConfiguredProxies {

    private ConfiguredProxies() {
    }

    /** Builds the (not yet started) proxy {@code zmq.proxies.<name>}. */
    static DefaultZmqProxy create(String name, ProxyProperties config, ZmqSocketFactory socketFactory,
            SteeringAudit audit, ConfiguredBinds binds) {
        String path = ZmqProperties.PREFIX + ".proxies." + name;
        ProxyPreset preset = preset(path, config);
        ProxyDefinition definition;
        try {
            definition = new ProxyDefinition(name, preset,
                    side(path, ProxyRole.FRONTEND, config.getFrontend(), preset != null ? preset.frontendType() : null),
                    side(path, ProxyRole.BACKEND, config.getBackend(), preset != null ? preset.backendType() : null),
                    config.getCapture() != null ? side(path, ProxyRole.CAPTURE, config.getCapture(), SocketType.PUB) : null,
                    config.getControl() != null ? side(path, ProxyRole.CONTROL, config.getControl(), SocketType.REP) : null,
                    config.isAutoStartup(), allowedCommands(config.getControl()), config.getDrainTimeout());
        }
        catch (ProxySetupException ex) {
            throw translate(path, ex, null);
        }
        DefaultZmqProxy proxy = new DefaultZmqProxy(definition, socketFactory,
                failure -> translate(path, failure, binds), audit);
        binds.proxy(path, proxy);
        return proxy;
    }

    private static Set<String> allowedCommands(ProxyProperties.Control control) {
        if (control == null || control.getAllowedCommands() == null) {
            return null;
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (String command : control.getAllowedCommands()) {
            allowed.add(command != null ? command.trim().toUpperCase(Locale.ROOT) : null);
        }
        return allowed;
    }

    private static ProxyPreset preset(String path, ProxyProperties config) {
        if (config.getType() == null || config.getType().isBlank()) {
            if (config.getFrontend().getType() == null || config.getBackend().getType() == null) {
                throw new InvalidZmqPropertyException(path + ".type", config.getType(),
                        "a proxy needs a type, or a type on both its frontend and its backend",
                        "Set " + path + ".type to one of " + ProxyPreset.propertyValues() + ".", null);
            }
            return null;
        }
        return ProxyPreset.of(config.getType().trim())
            .orElseThrow(() -> new InvalidZmqPropertyException(path + ".type", config.getType(),
                    "unknown proxy type", "Set " + path + ".type to one of " + ProxyPreset.propertyValues() + ".", null));
    }

    private static ProxySide side(String path, ProxyRole role, TypedEndpointProperties config, SocketType defaultType) {
        String sidePath = path + "." + role.propertyName();
        SocketType type = config.getType() != null ? config.getType() : defaultType;
        if (type == null) {
            throw new InvalidZmqPropertyException(sidePath + ".type", null, "no socket type",
                    "Set " + path + ".type or " + sidePath + ".type.", null);
        }
        try {
            config.toSocketOptions().validate();
        }
        catch (InvalidSocketOptionException ex) {
            throw new ProxySetupException(role, ex.option(), ex.value(), ex.reason(), null, ex);
        }
        if (config.getBind().isEmpty() && config.getConnect().isEmpty()) {
            throw new InvalidZmqPropertyException(sidePath + ".bind", List.of(),
                    "the " + role.propertyName() + " has neither a bind nor a connect endpoint",
                    "Add an endpoint to " + sidePath + ".bind or " + sidePath + ".connect.", null);
        }
        checkEndpoints(role, "bind", config.getBind(), type, false);
        checkEndpoints(role, "connect", config.getConnect(), type, true);
        return new ProxySide(role, type, config.toSocketOptions(), config.getBind(), config.getConnect());
    }

    private static void checkEndpoints(ProxyRole role, String list, List<String> endpoints, SocketType type,
            boolean connect) {
        for (int i = 0; i < endpoints.size(); i++) {
            try {
                Endpoints.validate(endpoints.get(i), type, connect);
            }
            catch (ZmqException ex) {
                throw new ProxySetupException(role, list + "[" + i + "]", endpoints.get(i), ex.getMessage(),
                        ex.error(), ex);
            }
        }
    }

    /** The property-path report of a proxy's setup failure. */
    static InvalidZmqPropertyException translate(String path, ProxySetupException failure, ConfiguredBinds binds) {
        String property = path + (failure.role() != null ? "." + failure.role().propertyName() : "")
                + (failure.setting() != null ? "." + failure.setting() : "");
        if (binds != null && failure.error() != null && failure.setting() != null
                && failure.setting().startsWith("bind[")) {
            return binds.bindFailed(property, String.valueOf(failure.value()), failure.error(), failure.reason(),
                    failure);
        }
        String action;
        if (failure.error() != null) {
            action = ConfiguredBinds.actionFor(failure.error());
        }
        else if ("type".equals(failure.setting())) {
            action = "Use a socket type that can serve as the proxy's " + failure.role().propertyName()
                    + " (see zmq_proxy(3)): set " + property + ".";
        }
        else {
            action = "Correct " + property + " (see the README's table of socket options).";
        }
        return new InvalidZmqPropertyException(property, failure.value(), failure.reason(), action, failure);
    }
}
