package io.bellwether.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers for the embedded services. */
public final class Ports {
    private Ports() {
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code requested} when it is a fixed, free port; a free one when it is 0; a clear error otherwise. */
    public static int choose(int requested, String what, String setting) {
        if (requested == 0) {
            return freePort();
        }
        if (!isFree(requested)) {
            throw new EmbeddedStartException(what + " cannot listen on 127.0.0.1:" + requested
                    + " because the port is in use. Stop what uses it, or set " + setting + " to another port (0 picks a free one).");
        }
        return requested;
    }
}
