package io.github.zmqboot.internal.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a waiting loop backs off instead of waiting on its socket's channel again. */
class PhantomSignalTest {

    @Test
    void backsOffOnceAfterEverySignalThatBroughtNothing() {
        PhantomSignal signal = new PhantomSignal();
        signal.selected(true);
        assertThat(signal.takePhantom()).isTrue();
        assertThat(signal.takePhantom()).isFalse(); // once per signal
        signal.selected(true);
        assertThat(signal.takePhantom()).isTrue();
    }

    @Test
    void neverBacksOffAfterATimeoutOrASignalThatBroughtSomething() {
        PhantomSignal signal = new PhantomSignal();
        signal.selected(false);
        assertThat(signal.takePhantom()).isFalse();
        signal.selected(true);
        signal.progressed();
        assertThat(signal.takePhantom()).isFalse();
    }

    @Test
    void toleratesTheGivenNumberOfEmptySignalsInARow() {
        PhantomSignal signal = new PhantomSignal(1);
        signal.selected(true);
        assertThat(signal.takePhantom()).isFalse(); // a command alone, say: wait on the channel again
        signal.selected(true);
        assertThat(signal.takePhantom()).isTrue(); // the second in a row: a phantom
        signal.selected(true);
        assertThat(signal.takePhantom()).isFalse(); // the count starts again after a back-off
    }

    @Test
    void progressOrATimeoutBetweenEmptySignalsStartsTheCountAgain() {
        PhantomSignal signal = new PhantomSignal(1);
        signal.selected(true);
        assertThat(signal.takePhantom()).isFalse();
        signal.progressed();
        signal.selected(true);
        assertThat(signal.takePhantom()).isFalse();
        signal.selected(false);
        assertThat(signal.takePhantom()).isFalse();
        signal.selected(true);
        assertThat(signal.takePhantom()).isFalse();
        signal.selected(true);
        assertThat(signal.takePhantom()).isTrue();
    }
}
