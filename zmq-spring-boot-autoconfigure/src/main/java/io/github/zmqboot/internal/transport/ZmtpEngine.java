/*
 * This file is part of a copy of JeroMQ 0.6.0's zmq.io.StreamEngine (https://github.com/zeromq/jeromq), licensed
 * under the Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/), and stays under that licence. The copy is
 * split into a chain of classes, one a concern, each method's body JeroMQ's: ZmtpConnection (state, socket I/O, the
 * end of a connection) <- ZmtpMessageFlow (messages after the handshake, heartbeats) <- ZmtpHandshake (identity or
 * mechanism handshake) <- ZmtpGreeting (greeting, protocol version) <- ZmtpEngine (plug, the input and output pumps),
 * one object a connection as in JeroMQ; a method of one concern became two where it served two (the timer event,
 * the cancelling of timers). Changes in this file, each marked PATCHED:
 * a raw socket's handshake is complete at once (for the frame limit of ZmtpHandshake).
 */
package io.github.zmqboot.internal.transport;

import java.lang.reflect.InvocationTargetException;
import java.nio.channels.SocketChannel;

import zmq.Config;
import zmq.Msg;
import zmq.Options;
import zmq.ZError;
import zmq.io.IOObject;
import zmq.io.IOThread;
import zmq.io.Metadata;
import zmq.io.SessionBase;
import zmq.io.StreamEngine.ErrorReason;
import zmq.io.coder.IDecoder.Step;
import zmq.io.coder.raw.RawDecoder;
import zmq.io.coder.raw.RawEncoder;
import zmq.io.net.Address;
import zmq.util.ValueReference;
import zmq.util.Wire;

// This engine handles any socket with SOCK_STREAM semantics,
// e.g. TCP socket or an UNIX domain socket.
/**
 * ZMTP over a stream channel (tcp and real ipc): JeroMQ's StreamEngine, patched (see the header).
 */
final class ZmtpEngine extends ZmtpGreeting
{
    ZmtpEngine(SocketChannel fd, final Options options, final String endpoint, EngineFactory.Connection connection,
            Address peerAddress, Address selfAddress)
    {
        super(fd, options, endpoint, connection, peerAddress, selfAddress);
    }

    @Override
    public void plug(IOThread ioThread, SessionBase session)
    {
        assert (!plugged);
        plugged = true;

        //  Connect to session object.
        assert (this.session == null);
        assert (session != null);
        this.session = session;
        socket = session.getSocket();

        //  Connect to I/O threads poller object.
        ioObject = new IOObject(ioThread, this);
        ioObject.plug();
        handle = ioObject.addFd(fd);
        ioError = false;

        //  Make sure batch sizes match large buffer sizes
        final int inBatchSize = Math.max(options.rcvbuf, Config.IN_BATCH_SIZE.getValue());
        final int outBatchSize = Math.max(options.sndbuf, Config.OUT_BATCH_SIZE.getValue());

        if (options.rawSocket) {
            decoder = instantiate(options.decoder, inBatchSize, options.maxMsgSize);
            if (decoder == null) {
                decoder = new RawDecoder(inBatchSize);
            }
            encoder = instantiate(options.encoder, outBatchSize, options.maxMsgSize);
            if (encoder == null) {
                encoder = new RawEncoder(errno, outBatchSize);
            }

            // disable handshaking for raw socket
            handshaking = false;
            handshakeComplete = true; // PATCHED

            nextMsg = pullMsgFromSession;
            processMsg = pushRawMsgToSession;

            if (peerAddress != null && !peerAddress.address().isEmpty()) {
                assert (metadata == null);
                // Compile metadata
                metadata = new Metadata();
                metadata.put(Metadata.PEER_ADDRESS, peerAddress.address());
            }

            if (options.selfAddressPropertyName != null && ! options.selfAddressPropertyName.isEmpty()
                && selfAddress != null && !selfAddress.address().isEmpty()) {
                if (metadata == null) {
                    metadata = new Metadata();
                }
                metadata.put(options.selfAddressPropertyName, selfAddress.address());
            }

            //  For raw sockets, send an initial 0-length message to the
            // application so that it knows a peer has connected.
            Msg connector = new Msg();
            pushRawMsgToSession(connector);
            session.flush();
        }
        else {
            // start optional timer, to prevent handshake hanging on no input
            setHandshakeTimer();

            //  Send the 'length' and 'flags' fields of the identity message.
            //  The 'length' field is encoded in the long format.
            greetingSend.put((byte) 0xff);
            Wire.putUInt64(greetingSend, options.identitySize + 1);
            greetingSend.put((byte) 0x7f);

            outpos.set(greetingSend);
            outsize = greetingSend.position();
            greetingSend.flip();
        }

        ioObject.setPollIn(handle);
        ioObject.setPollOut(handle);

        //  Flush all the data that may have been already received downstream.
        inEvent();
    }

    private <T> T instantiate(Class<T> clazz, int size, long max)
    {
        if (clazz == null) {
            return null;
        }
        try {
            return clazz.getConstructor(int.class, long.class).newInstance(size, max);
        }
        catch (InstantiationException | IllegalAccessException
                | IllegalArgumentException | InvocationTargetException
                | NoSuchMethodException | SecurityException e) {
            throw new ZError.InstantiationException(e);
        }
    }

    @Override
    public void inEvent()
    {
        assert (!ioError);

        //  If still handshaking, receive and process the greeting message.
        if (handshaking) {
            if (!handshake()) {
                return;
            }
        }

        assert (decoder != null);

        //  If there has been an I/O error, stop polling.
        if (inputStopped) {
            ioObject.removeHandle(handle);
            handle = null;
            ioError = true;
            return;
        }

        //  If there's no data to process in the buffer...
        if (insize == 0) {
            //  Retrieve the buffer and read as much data as possible.
            //  Note that buffer can be arbitrarily large. However, we assume
            //  the underlying TCP layer has fixed buffer size and thus the
            //  number of bytes read will be always limited.

            inpos = decoder.getBuffer();
            int rc = read(inpos);

            if (rc == 0) {
                error(ErrorReason.CONNECTION);
            }

            if (rc == -1) {
                if (!errno.is(ZError.EAGAIN)) {
                    error(ErrorReason.CONNECTION);
                }
                return;
            }
            //  Adjust input size
            inpos.flip();
            insize = rc;
        }

        boolean rc = false;
        ValueReference<Integer> processed = new ValueReference<>(0);

        while (insize > 0) {
            //  Push the data to the decoder.
            Step.Result result = decoder.decode(inpos, insize, processed);
            assert (processed.get() <= insize);
            insize -= processed.get();

            if (result == Step.Result.MORE_DATA) {
                rc = true;
                break;
            }
            if (result == Step.Result.ERROR) {
                rc = false;
                break;
            }

            Msg msg = decoder.msg();
            rc = processMsg.apply(msg);
            if (!rc) {
                break;
            }
        }

        // Tear down the connection if we have failed to decode input data
        //  or the session has rejected the message.
        if (!rc) {
            if (!errno.is(ZError.EAGAIN)) {
                error(ErrorReason.PROTOCOL);
                return;
            }

            inputStopped = true;
            ioObject.resetPollIn(handle);
        }

        //  Flush all messages the decoder may have produced.
        session.flush();
    }

    @Override
    public void outEvent()
    {
        assert (!ioError);

        //  If write buffer is empty, try to read new data from the encoder.
        if (outsize == 0) {
            //  Even when we stop polling as soon as there is no
            //  data to send, the poller may invoke outEvent one
            //  more time due to 'speculative write' optimization.
            if (encoder == null) {
                assert (handshaking);
                return;
            }
            outpos.set(null);
            outsize = encoder.encode(outpos, 0);

            //  Make sure batch sizes match large buffer sizes
            final int outBatchSize = Math.max(options.sndbuf, Config.OUT_BATCH_SIZE.getValue());

            while (outsize < outBatchSize) {
                Msg msg = nextMsg.get();
                if (msg == null) {
                    break;
                }
                encoder.loadMsg(msg);
                int n = encoder.encode(outpos, outBatchSize - outsize);
                assert (n > 0);
                outsize += n;
            }

            //  If there is no data to send, stop polling for output.
            if (outsize == 0) {
                outputStopped = true;
                ioObject.resetPollOut(handle);

                return;
            }

            // slight difference with libzmq:
            // encoder is notified of the end of the loading
            encoder.encoded();
        }

        //  If there are any data to write in write buffer, write as much as
        //  possible to the socket. Note that amount of data to write can be
        //  arbitrarily large. However, we assume that underlying TCP layer has
        //  limited transmission buffer and thus the actual number of bytes
        //  written should be reasonably modest.
        int nbytes = write(outpos.get());

        //  IO error has occurred. We stop waiting for output events.
        //  The engine is not terminated until we detect input error;
        //  this is necessary to prevent losing incoming messages.
        if (nbytes == -1) {
            ioObject.resetPollOut(handle);
            return;
        }

        outsize -= nbytes;

        //  If we are still handshaking and there are no data
        //  to send, stop polling for output.
        if (handshaking) {
            if (outsize == 0) {
                ioObject.resetPollOut(handle);
            }
        }
    }

    @Override
    public void restartOutput()
    {
        if (ioError) {
            return;
        }

        if (outputStopped) {
            ioObject.setPollOut(handle);
            outputStopped = false;
        }

        //  Speculative write: The assumption is that at the moment new message
        //  was sent by the user the socket is probably available for writing.
        //  Thus we try to write the data to socket avoiding polling for POLLOUT.
        //  Consequently, the latency should be better in request/reply scenarios.
        outEvent();
    }

    @Override
    public void restartInput()
    {
        assert (inputStopped);
        assert (session != null);
        assert (decoder != null);

        Msg msg = decoder.msg();
        if (!processMsg.apply(msg)) {
            if (errno.is(ZError.EAGAIN)) {
                session.flush();
            }
            else {
                error(ErrorReason.PROTOCOL);
            }
            return;
        }
        boolean decodingSuccess = decodeCurrentInputs();
        if (!decodingSuccess && errno.is(ZError.EAGAIN)) {
            session.flush();
        }
        else if (ioError) {
            error(ErrorReason.CONNECTION);
        }
        else if (!decodingSuccess) {
            error(ErrorReason.PROTOCOL);
        }
        else {
            inputStopped = false;
            ioObject.setPollIn(handle);
            session.flush();

            //  Speculative read.
            inEvent();
        }
    }

    private boolean decodeCurrentInputs()
    {
        while (insize > 0) {
            ValueReference<Integer> processed = new ValueReference<>(0);
            Step.Result result = decoder.decode(inpos, insize, processed);
            assert (processed.get() <= insize);
            insize -= processed.get();
            if (result == Step.Result.MORE_DATA) {
                return true;
            }
            if (result == Step.Result.ERROR) {
                return false;
            }
            if (!processMsg.apply(decoder.msg())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + socket + "-" + zmtpVersion;
    }
}
