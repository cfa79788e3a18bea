package io.github.zmqboot.internal.peer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.zmqboot.guard.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tcp connect to a host name that does not resolve yet succeeds, at startup and at run time, as in libzmq (which
 * looks the name up when it opens the connection): a PEER's connect returns its routing id at once, the endpoint shows
 * as unresolved in the inventory (health details, {@code /actuator/zmq}), and the messages queued for it arrive once
 * the name resolves. Runs in a child JVM with its own hosts file and no negative look-up cache, so that the name can
 * start resolving while the application runs.
 */
class LateResolvingHostTest {

    @Test
    void connectsToAHostNameThatResolvesOnlyAfterStartup(@TempDir Path folder) throws Exception {
        Path hosts = Files.writeString(folder.resolve("hosts"), "127.0.0.1 some-other-host.zmq.test\n");
        Path security = Files.writeString(folder.resolve("java.security"),
                "networkaddress.cache.negative.ttl=0\nnetworkaddress.cache.ttl=0\n");
        Map<String, String> results = ChildJvm.run(LateResolvingHostApplication.class,
                List.of("-Djdk.net.hosts.file=" + hosts, "-Djava.security.properties=" + security, "-Xmx256m"),
                Duration.ofSeconds(90), hosts.toString());

        assertThat(results).containsEntry("started", "true");
        assertThat(Integer.parseInt(results.get("bob.routingId"))).isNotZero();
        assertThat(Integer.parseInt(results.get("carol.routingId"))).isNotZero();
        String endpoint = "tcp://" + LateResolvingHostApplication.HOST + ":";
        assertThat(results.get("unresolved.before")).contains("unresolved=[" + endpoint);
        assertThat(results).containsEntry("alice.received", "from bob,from carol");
        assertThat(results).containsEntry("sink.received", "from pusher");
        assertThat(results.get("unresolved.after")).doesNotContain("unresolved=");
    }
}
