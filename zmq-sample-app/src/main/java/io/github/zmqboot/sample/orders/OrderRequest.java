package io.github.zmqboot.sample.orders;

/**
 * What a client asks the broker for, sent as JSON: {@code {"item":"widget","quantity":3}}.
 *
 * @param item what to order
 * @param quantity how many
 */
public record OrderRequest(String item, int quantity) {
}
