package io.github.zmqboot.autoconfigure;

import java.util.concurrent.ThreadFactory;

import io.github.zmqboot.core.ZmqThreadFactory;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * The starter's {@link ZmqThreadFactory} under {@code spring.threads.virtual.enabled=true} on Java 21+: virtual
 * handler threads, platform threads for every role that waits inside the engine.
 */
final class VirtualHandlerThreads implements ZmqThreadFactory {

    private final ThreadFactory virtualThreads = new VirtualThreadTaskExecutor("zmq-").getVirtualThreadFactory();

    private final ZmqThreadFactory platform = ZmqThreadFactory.platform();

    @Override
    public Thread newThread(Role role, String name, Runnable task) {
        if (role != Role.HANDLER) {
            return this.platform.newThread(role, name, task);
        }
        Thread thread = this.virtualThreads.newThread(task);
        thread.setName(name);
        return thread;
    }
}
