package io.github.zmqboot.sample.prices;

import java.math.BigDecimal;

/**
 * One price, published as JSON after its topic frame {@code prices.<symbol>}.
 *
 * @param symbol what is priced
 * @param value the price
 */
public record Price(String symbol, BigDecimal value) {
}
