package io.github.zmqboot.observation;

/** A socket whose sends can be observed; the socket beans are, and are given the observer when they are made. */
public interface SendObservable {

    /** Observes every later send with {@code observer}. */
    void observeSends(ZmqObserver observer);
}
