package io.github.zmqboot.sample.orders;

/**
 * What a worker answers, as JSON:
 * {@code {"orderNumber":7,"item":"widget","quantity":3,"worker":"order-worker-2"}}.
 *
 * @param orderNumber the number the worker gave the order
 * @param item what was ordered
 * @param quantity how many
 * @param worker the name of the worker socket that took it
 */
public record OrderReceipt(long orderNumber, String item, int quantity, String worker) {
}
