package io.github.zmqboot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/** The observations of the starter, with their low-cardinality keys. */
public enum ZmqObservation implements ObservationDocumentation {

    /** One call of a {@code @ZmqListener} method, in scope while the method runs. */
    LISTENER {
        @Override
        public String getName() {
            return ZmqListenerObservationConvention.NAME;
        }

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultZmqListenerObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return KeyName.merge(new KeyName[] { Keys.SOCKET, Keys.LISTENER_ID, Keys.OUTCOME });
        }
    },

    /** One {@code send}/{@code convertAndSend} through a socket or peer bean. */
    SEND {
        @Override
        public String getName() {
            return ZmqSendObservationConvention.NAME;
        }

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultZmqSendObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return KeyName.merge(new KeyName[] { Keys.SOCKET, Keys.OUTCOME });
        }
    };

    /** The low-cardinality keys. */
    public enum Keys implements KeyName {

        /** The socket's bean name. */
        SOCKET {
            @Override
            public String asString() {
                return ZmqObservationContext.SOCKET_KEY;
            }
        },

        /** The listener's id ({@code zmq.listener} only). */
        LISTENER_ID {
            @Override
            public String asString() {
                return ZmqObservationContext.LISTENER_ID_KEY;
            }
        },

        /** {@code success}, or {@code failure} when the call threw (also the observation's error). */
        OUTCOME {
            @Override
            public String asString() {
                return ZmqObservationContext.OUTCOME_KEY;
            }
        }
    }
}
