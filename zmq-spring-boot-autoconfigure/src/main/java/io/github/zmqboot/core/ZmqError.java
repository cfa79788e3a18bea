package io.github.zmqboot.core;

import zmq.ZError;

/**
 * The error numbers of libzmq, by their libzmq names, as a {@link ZmqException} reports them.
 * <p>
 * The engine (JeroMQ) reports errors as integer {@code errno} values; {@link #fromErrno(int)} maps them here.
 * Where JeroMQ reports no error at all but libzmq would (for example {@link #EFAULT} from
 * {@code zmq_connect_peer} on a socket with {@code ZMQ_IMMEDIATE}), the product raises the libzmq error itself.
 */
public enum ZmqError {

    /** Invalid argument, e.g. a malformed endpoint. */
    EINVAL(ZError.EINVAL),
    /** The transport is not supported (by the engine, or at all). */
    EPROTONOSUPPORT(ZError.EPROTONOSUPPORT),
    /** The transport is not compatible with the socket type. */
    ENOCOMPATPROTO(ZError.ENOCOMPATPROTO),
    /** The ZeroMQ context was terminated (also: the application context was closed). */
    ETERM(ZError.ETERM),
    /** The socket was closed. */
    ENOTSOCK(ZError.ENOTSOCK),
    /** No I/O thread is available for the operation. */
    EMTHREAD(ZError.EMTHREAD),
    /** The operation is not supported by this socket type. */
    ENOTSUP(ZError.ENOTSUP),
    /** Bad address, or (for {@code zmq_connect_peer}) the socket has {@code ZMQ_IMMEDIATE} set. */
    EFAULT(ZError.EFAULT),
    /** The message is addressed to a peer that is not (or no longer) connected. */
    EHOSTUNREACH(ZError.EHOSTUNREACH),
    /** The operation could not complete in time (full queue, send or receive timeout). */
    EAGAIN(ZError.EAGAIN),
    /** The address is already in use. */
    EADDRINUSE(ZError.EADDRINUSE),
    /** The address is not available on this machine. */
    EADDRNOTAVAIL(ZError.EADDRNOTAVAIL),
    /** The connection was refused. */
    ECONNREFUSED(ZError.ECONNREFUSED),
    /** No such endpoint (e.g. an inproc endpoint that is not bound). */
    ENOENT(ZError.ENOENT),
    /** The address is longer than the transport allows (an ipc path beyond the operating system's limit). */
    ENAMETOOLONG(63),
    /** The operation cannot be performed in the socket's current state (e.g. REQ sending twice). */
    EFSM(ZError.EFSM),
    /** The message is too large. */
    EMSGSIZE(ZError.EMSGSIZE),
    /** The operation was interrupted. */
    EINTR(ZError.EINTR),
    /** Any other engine error; the message says which number it was. */
    EUNKNOWN(-1);

    private final int errno;

    ZmqError(int errno) {
        this.errno = errno;
    }

    /** The engine's numeric error code for this error ({@code -1} for {@link #EUNKNOWN}). */
    public int errno() {
        return errno;
    }

    /** Maps an engine {@code errno} to its libzmq name; unknown numbers map to {@link #EUNKNOWN}. */
    public static ZmqError fromErrno(int errno) {
        for (ZmqError error : values()) {
            if (error.errno == errno) {
                return error;
            }
        }
        return EUNKNOWN;
    }
}
