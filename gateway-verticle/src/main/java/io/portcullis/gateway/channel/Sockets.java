package io.portcullis.gateway.channel;

import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;

/** Socket endings that leave no buffer behind. */
public final class Sockets {
  private Sockets() {}

  /**
   * Closes a socket after what was written, releasing whatever it read that nobody will handle: a
   * paused Vert.x socket keeps read messages in a queue that closing does not release.
   */
  public static Future<Void> closeDiscardingInput(NetSocketInternal socket) {
    socket.messageHandler(ReferenceCountUtil::release);
    socket.eventHandler(ReferenceCountUtil::release);
    socket.drainHandler(null);
    socket.resume();
    return socket.close();
  }
}
