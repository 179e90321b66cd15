package io.portcullis.gateway.splice;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.streams.WriteStream;

/**
 * The outbound side of a hijacked socket as a {@code WriteStream<ByteBuf>}: each chunk is written to
 * the channel as it is, and the channel releases it once sent. Backpressure is the socket's own.
 */
final class RawOutbound implements WriteStream<ByteBuf> {
  private final NetSocketInternal socket;

  RawOutbound(NetSocketInternal socket) {
    this.socket = socket;
  }

  @Override
  public WriteStream<ByteBuf> exceptionHandler(Handler<Throwable> handler) {
    socket.exceptionHandler(handler);
    return this;
  }

  @Override
  public Future<Void> write(ByteBuf data) {
    if (!socket.channelHandlerContext().channel().isActive()) {
      // Vert.x fails writes to a closed socket without releasing them.
      data.release();
      return Future.failedFuture("connection closed");
    }
    return socket.writeMessage(data);
  }

  @Override
  public Future<Void> end() {
    return socket.end();
  }

  @Override
  public WriteStream<ByteBuf> setWriteQueueMaxSize(int maxSize) {
    socket.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public WriteStream<ByteBuf> drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
    return this;
  }
}
