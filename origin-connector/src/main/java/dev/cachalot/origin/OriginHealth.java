package dev.cachalot.origin;

/**
 * One origin's protection state, for metrics and the admin API.
 *
 * @param origin the origin's name
 * @param breaker {@code closed}, {@code open} or {@code half_open}
 * @param breakerOpens how many times the breaker has opened
 * @param inFlight fetches holding a bulkhead slot (until their body is read or closed)
 * @param queued fetches waiting for a slot
 * @param shed fetches refused by the bulkhead or the open breaker
 * @param retries retries sent
 * @param retriesDenied retries the budget refused
 */
public record OriginHealth(String origin, String breaker, long breakerOpens, int inFlight, int queued, long shed,
    long retries, long retriesDenied) {}
