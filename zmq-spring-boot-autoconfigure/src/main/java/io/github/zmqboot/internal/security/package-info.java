/**
 * Internal (not API, may change): the ZAP handler that checks CURVE clients against
 * {@code curve.allowed-clients}.
 */
@NullMarked
package io.github.zmqboot.internal.security;

import org.jspecify.annotations.NullMarked;
