package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Reply;

/**
 * What one action sent the client: the reply, or null for raw bytes that are none, and whether
 * the client reads it as positive (2xx or 3xx).
 *
 * @param reply the reply, or null
 * @param positive whether it is positive
 */
public record Sent(Reply reply, boolean positive) {}
