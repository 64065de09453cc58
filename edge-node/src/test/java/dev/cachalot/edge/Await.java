package dev.cachalot.edge;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or the deadline passes. Tests wait on conditions, never on time. */
public final class Await {
  private Await() {}

  /** True once {@code condition} holds; false if {@code timeout} passes first. */
  public static boolean until(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(200_000);
    }
    return true;
  }

  /** Whether something accepts connections on the loopback {@code port} now. */
  public static boolean listening(int port) {
    try (java.net.Socket ignored = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
