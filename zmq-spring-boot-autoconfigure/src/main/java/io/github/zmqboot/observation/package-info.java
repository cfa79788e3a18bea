/**
 * Public API: Micrometer Observation support (the observations, their contexts and conventions, which applications
 * may replace) and the {@link ZmqObserver} the socket beans and listeners report to.
 */
@NullMarked
package io.github.zmqboot.observation;

import org.jspecify.annotations.NullMarked;
